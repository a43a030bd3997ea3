//! Converters between Connect data and the bytes stored in Kafka, one format per module.
//!
//! Each converter is byte-compatible with its Apache Kafka Connect namesake, so a pipeline
//! moved from the JVM keeps writing exactly what its consumers already read:
//! - [`json::JsonConverter`] (`org.apache.kafka.connect.json.JsonConverter`)
//! - [`avro::AvroConverter`] (`io.confluent.connect.avro.AvroConverter`), with its
//!   [`schema_registry`] client
//! - [`bytes::ByteArrayConverter`] (`org.apache.kafka.connect.converters.ByteArrayConverter`)
//! - [`string::StringConverter`] (`org.apache.kafka.connect.storage.StringConverter`)
//! - [`simple_header::SimpleHeaderConverter`] (`org.apache.kafka.connect.storage.SimpleHeaderConverter`)

pub mod avro;
pub mod bytes;
pub mod json;
pub mod schema_registry;
pub mod simple_header;
pub mod string;
pub mod values;
