//! A Schema Registry that speaks Confluent's REST API, for Avro, keeping its state in a
//! compacted Kafka topic (`_schemas`) the way Confluent's does.
//!
//! It exists because no registry server can be installed from the package registries
//! this project uses, and the AvroConverter, the quickstart and the tests need one that
//! real clients (Confluent's Java and Python clients, Kafka Connect's AvroConverter)
//! accept: the same endpoints, JSON shapes, error codes and compatibility rules. It runs
//! inside `connectd` (on by default with the embedded broker) or as the
//! `schema-registry` binary.
//!
//! - Endpoints: register, look up, schemas by id, subjects, versions, soft and permanent
//!   deletes, compatibility settings (global and per subject) and compatibility tests,
//!   `GET /schemas/types`, `GET /mode`; errors as Confluent's JSON ([`RegistryError`]).
//! - Rules: Avro Java's reader/writer compatibility ([`compatibility`]), levels
//!   `BACKWARD`, `FORWARD`, `FULL`, their `_TRANSITIVE` variants and `NONE`
//!   ([`CompatibilityLevel`]); the default is `BACKWARD`.
//! - Storage: every change is a record in the topic, keyed like Confluent's; at start
//!   the topic is read to its end before requests are answered, so state survives
//!   restarts.
//!
//! **Single writer.** One registry process writes a topic. Ids and versions are decided
//! in memory and written after; a second registry writing the same topic at the same
//! time could hand out the same id twice, and neither would see the other's changes
//! until restarted. (Confluent elects a leader for this; a second instance here is only
//! safe as a reader started after the writes it must see.)
//!
//! Not supported: schema types other than AVRO, schema references, metadata and rule
//! sets, contexts, modes other than READWRITE, and choosing ids (IMPORT mode): each is
//! refused with a clear error instead of being ignored.

pub mod compatibility;
mod error;
mod http;
mod level;
mod records;
mod registry;
mod routes;
mod schema;
mod server;
mod state;
mod store;

pub use error::RegistryError;
pub use http::CONTENT_TYPE;
pub use level::CompatibilityLevel;
pub use registry::{SubjectVersion, VersionSpec};
pub use schema::AvroSchema;
pub use server::{RunningRegistry, serve, start};
pub use store::{DEFAULT_TOPIC, StoreOptions};

/// The default listen address: Confluent's port, on loopback (the API has no
/// authentication).
pub const DEFAULT_LISTEN: &str = "127.0.0.1:8081";
