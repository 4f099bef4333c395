create table contract_messages (
  id integer primary key,
  room_id integer not null references contract_rooms(id),
  body varchar(2000) not null
);
create table contract_counters (
  name varchar(64) primary key,
  n integer not null
);
