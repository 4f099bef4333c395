create table rooms (
  id integer primary key,
  name varchar(64) not null unique
);
