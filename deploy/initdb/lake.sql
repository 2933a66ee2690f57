-- The lake's catalog: a database of its own on the instance's server.
create database lake owner zhibiao;
