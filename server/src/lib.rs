//! `connectd`, the connect runtime's worker process, as a library.
//!
//! The server speaks the `connect.v1` gRPC contract from `connect-proto` (see
//! `proto/connect/v1/*.proto`) next to two standard services, so that generic tools work
//! without our `.proto` files:
//!
//! - gRPC health checking (`grpc.health.v1.Health`), reporting
//!   `connect.v1.ConnectService` as SERVING;
//! - gRPC server reflection, both `grpc.reflection.v1` and `grpc.reflection.v1alpha`
//!   (grpcurl, Postman and the Python/Go reflection clients differ in which they ask for).
//!
//! Behind `ConnectService` runs a standalone worker ([`worker_setup`]): the runtime's
//! herder, with connector configs and source offsets kept in a data directory, against a
//! configured Kafka cluster or, with none, an embedded broker. The binary (`src/main.rs`)
//! is a thin wrapper around [`run`], so tests can drive the same code path with
//! [`serve`] on a listener they bound themselves.

#[cfg(feature = "embedded-kafka")]
pub mod embedded_broker;

mod config;
mod convert;
mod error;
mod grpc_error;
mod schema_registry;
mod server;
mod service;
mod shutdown;
mod telemetry;
pub mod worker_setup;

pub use config::{
    Config, DEFAULT_DATA_DIR, DEFAULT_EMBEDDED_KAFKA, DEFAULT_LISTEN, DEFAULT_SHUTDOWN_TIMEOUT_SECS,
};
pub use error::ServerError;
pub use schema_registry::DEFAULT_SCHEMA_REGISTRY_LISTEN;
pub use server::{run, serve};
pub use service::ConnectGrpcService;
pub use shutdown::ShutdownSignal;
pub use telemetry::init_tracing;
