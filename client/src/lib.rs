//! A typed Rust client for the `connect.v1` gRPC API and the `connectctl` CLI. Filled by the standalone-worker issue.
