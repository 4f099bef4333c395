create table contract_rooms (
  id integer primary key,
  name varchar(64) not null unique
);
