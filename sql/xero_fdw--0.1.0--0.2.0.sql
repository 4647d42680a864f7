-- xero_fdw 0.1.0 → 0.2.0
--
-- 0.2.0 reorganises the code (the repository root is the extension; one read path in the core;
-- a transport ready for writes) and changes no SQL object: every function, view, table, comment
-- and privilege of 0.1.0 is the same in 0.2.0, and the library keeps every C symbol 0.1.0's
-- functions are bound to. tests/tests/upgrade.rs checks that an updated database has exactly the
-- SQL surface of a fresh 0.2.0 install and keeps its organisations, token sets and keys.
--
-- complain if this script is sourced in psql rather than run by ALTER EXTENSION
\echo Use "ALTER EXTENSION xero_fdw UPDATE TO '0.2.0'" to load this file. \quit
