create table this is not sql;
