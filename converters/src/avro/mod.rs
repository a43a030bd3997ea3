//! Avro with Confluent's Schema Registry, compatible with `io.confluent.connect.avro.AvroConverter`.
//!
//! One job per module:
//! - [`converter`]: the converter (wire format, registry calls, caches, errors);
//! - [`config`]: its settings, under Confluent's names;
//! - [`subject`]: the subject name strategies;
//! - [`data`]: Connect schemas to Avro schemas and back (Confluent's `AvroData`);
//! - [`schema`]: the Avro schema model, parsed and printed exactly as Avro Java does;
//! - [`json`]: JSON values inside schemas (properties, defaults);
//! - [`encode`] / [`decode`]: values to Avro binary and back, with schema resolution;
//! - [`binary`]: the Avro binary primitives;
//! - [`java_map_order`]: the iteration order of Java's `HashMap`, which decides how maps are
//!   laid out on the wire.
//!
//! The registry client is in [`crate::schema_registry`].

pub mod binary;
pub mod config;
pub mod converter;
pub mod data;
pub mod decode;
pub mod encode;
pub mod java_map_order;
pub mod json;
pub mod schema;
pub mod subject;

pub use config::AvroConverterConfig;
pub use converter::AvroConverter;
