//! A typed Rust client for the `connect.v1` gRPC API of `connectd`, and the `connectctl` CLI
//! built on it.
//!
//! [`ConnectClient`] has one async method per RPC of `connect.v1.ConnectService`, taking
//! plain Rust arguments and returning the generated response messages of
//! [`connect_proto::v1`]. Failures are [`ClientError`]s that keep the gRPC status code (the
//! contract documents which code means what) and the invalid config keys the server
//! reports as `google.rpc.BadRequest` field violations.
//!
//! ```no_run
//! # async fn example() -> Result<(), connect_client::ClientError> {
//! use connect_client::ConnectClient;
//! use connect_proto::v1::TargetState;
//!
//! let mut client = ConnectClient::connect("127.0.0.1:8084").await?;
//! let config = [("connector.class", "FileStreamSource"), ("file", "/tmp/in.txt")]
//!     .into_iter()
//!     .map(|(k, v)| (k.to_owned(), v.to_owned()))
//!     .collect();
//! client.create_connector("local-file-source", config, TargetState::Unspecified).await?;
//! # Ok(())
//! # }
//! ```
//!
//! Connector config files (`.properties` or JSON) are read with
//! [`connect_core::config_file`]; connector offsets in Kafka Connect's KIP-875 JSON with
//! [`offsets_from_json`] and [`offsets_to_json`].

mod client;
mod error;
mod offsets;

pub use client::{CONNECT_TIMEOUT, ConnectClient, StatusEvents, normalize_endpoint};
pub use error::{
    BAD_REQUEST_TYPE_NAME, BadRequest, ClientError, FieldViolation, bad_request_details, code_name,
};
pub use offsets::{OffsetsJsonError, offsets_from_json, offsets_to_json, struct_to_json};
