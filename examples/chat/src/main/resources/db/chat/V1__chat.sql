create table messages (
  id integer primary key autoincrement,
  room varchar(32) not null,
  user_name varchar(32) not null,
  body varchar(2000) not null,
  at bigint not null
);
create index messages_room on messages (room, id);
create table notifications (
  id integer primary key autoincrement,
  user_name varchar(32) not null,
  message_id integer not null,
  room varchar(32) not null,
  from_user varchar(32) not null,
  body varchar(2000) not null,
  delivered integer not null default 0,
  unique (user_name, message_id)
);
