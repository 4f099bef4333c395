create table weft_jobs (
  id ${idType},
  state varchar(16) not null,
  queue varchar(64) not null,
  worker varchar(255) not null,
  args text not null,
  errors text not null default '[]',
  attempt integer not null default 0,
  max_attempts integer not null,
  priority integer not null default 0,
  inserted_at bigint not null,
  scheduled_at bigint not null,
  attempted_at bigint,
  attempted_by varchar(255),
  finished_at bigint
);
create index weft_jobs_fetch on weft_jobs (queue, state, priority, scheduled_at, id);
create index weft_jobs_state on weft_jobs (state, finished_at);
create table weft_job_nodes (
  name varchar(255) primary key,
  seen_at bigint not null
);
