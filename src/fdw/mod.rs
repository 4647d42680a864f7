//! The foreign-data wrapper itself. Today its validator (options checked when a server or user
//! mapping is created or altered); the scan, pushdown, IMPORT FOREIGN SCHEMA and modify
//! callbacks belong here too.

mod validator;
