alter table weft_jobs add column unique_key varchar(64);
create index weft_jobs_unique on weft_jobs (unique_key, inserted_at);
create table weft_cron_ticks (
  name varchar(255) not null,
  tick_at bigint not null,
  primary key (name, tick_at)
);
