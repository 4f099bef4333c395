create table messages (
  id integer primary key,
  room_id integer not null references rooms(id),
  body varchar(2000) not null
);
create table counters (
  name varchar(64) primary key,
  n integer not null
);
