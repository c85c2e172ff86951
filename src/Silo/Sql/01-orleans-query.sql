-- The ADO.NET providers look up their SQL by key in this table. The name and the
-- two column names are fixed by the providers ("SELECT QueryKey, QueryText FROM OrleansQuery");
-- PostgreSQL folds them to lower case and Npgsql matches result columns case-insensitively.
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64) NOT NULL PRIMARY KEY,
    QueryText text        NOT NULL
);
