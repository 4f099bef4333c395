-- A name belongs to whoever took it first: its key's SHA-256 is kept, never the key.
create table users (
  name varchar(32) primary key,
  key_hash varchar(64) not null,
  created_at bigint not null
);
-- A notification points at its message (room, author and body are read from it, stored once)
-- and goes with it.
create table notifications_v2 (
  id integer primary key autoincrement,
  user_name varchar(32) not null,
  message_id integer not null references messages (id) on delete cascade,
  delivered integer not null default 0,
  unique (user_name, message_id)
);
insert into notifications_v2 (id, user_name, message_id, delivered)
  select n.id, n.user_name, n.message_id, n.delivered from notifications n
  where exists (select 1 from messages m where m.id = n.message_id);
drop table notifications;
alter table notifications_v2 rename to notifications;
create index notifications_message on notifications (message_id);
