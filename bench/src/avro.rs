//! Fixtures of the Avro converter benchmark (`benches/avro_converter.rs`) and its report
//! (`avro_report`).
//!
//! The goal in `DESIGN.md` is AvroConverter time per record ≤ 1.5× a plain `apache-avro`
//! encode/decode of the same datum. So each record (the same small and CDC records as the
//! JSON benchmark) is prepared once as: our converter on an in-memory registry, its caches
//! warm (a pipeline's steady state: one registry call per schema, then none); the Confluent
//! message it writes; and, for `apache-avro`, the registered schema text parsed by
//! `apache_avro::Schema` and the datum as an `apache_avro::types::Value` (decoded from our
//! payload, and checked to encode back to the same bytes). JSON converter figures for the
//! same records are measured alongside.

use std::sync::Arc;

use connect_converters::avro::{AvroConverter, AvroConverterConfig};
use connect_converters::json::JsonConverter;
use connect_converters::schema_registry::SchemaRegistryClient;
use connect_converters::schema_registry::memory::InMemorySchemaRegistry;
use connect_core::config::properties;
use connect_core::{ConnectError, Converter, ConverterType, Headers, Result, Schema, Value};

use crate::{Direction, Record, TOPIC, json_converter, poll_ready};

/// Criterion function: our `AvroConverter` through the async `Converter` trait (the only
/// way it is called; with warm caches the future is ready on its first poll).
pub const AVRO: &str = "avro_converter";
/// Criterion function: plain `apache-avro` on the same datum and schema.
pub const APACHE_AVRO: &str = "apache_avro";
/// Criterion function: the JSON converter with `schemas.enable=true` (Kafka's default).
pub const JSON_SCHEMAS: &str = "json_schemas";
/// Criterion function: the JSON converter with `schemas.enable=false`.
pub const JSON_NO_SCHEMAS: &str = "json_noschemas";

/// The criterion group of a record and direction, e.g. `avro_cdc_serialize`.
pub fn group(record: Record, direction: Direction) -> String {
    format!("avro_{}_{}", record.name(), direction.name())
}

/// Everything the Avro benchmark of one record needs.
pub struct AvroPrepared {
    /// The Connect schema.
    pub schema: Schema,
    /// The Connect value.
    pub value: Value,
    /// Our converter, caches warm.
    pub converter: AvroConverter,
    /// The Confluent-framed message our converter writes (5-byte header + Avro payload).
    pub message: Vec<u8>,
    /// The registered schema, parsed by `apache-avro`.
    pub apache_schema: apache_avro::Schema,
    /// The same datum as an `apache-avro` value.
    pub apache_value: apache_avro::types::Value,
    /// JSON converters (with and without schemas) and their output for the record.
    pub json: [(JsonConverter, Vec<u8>); 2],
}

fn data_error(what: &str, e: impl std::fmt::Display) -> ConnectError {
    ConnectError::data(format!("{what}: {e}"))
}

/// Builds the fixture of one record.
pub fn prepare(record: Record) -> Result<AvroPrepared> {
    let schema = record.schema()?;
    let value = record.value(&schema)?;
    let registry = Arc::new(InMemorySchemaRegistry::new());
    let config =
        AvroConverterConfig::from_props(&properties(&[("schema.registry.url", "mock://bench")]))?;
    let converter = AvroConverter::with_registry(&config, ConverterType::Value, registry.clone());
    let message =
        poll_ready(converter.from_connect_data(TOPIC, &mut Headers::new(), Some(&schema), &value))
            .ok_or_else(|| ConnectError::data("the in-memory registry never waits"))??
            .ok_or_else(|| ConnectError::data("the converter wrote no bytes for a non-null"))?;
    // Warm the read side too.
    poll_ready(converter.to_connect_data(TOPIC, &Headers::new(), Some(&message)))
        .ok_or_else(|| ConnectError::data("the in-memory registry never waits"))??;

    let id = i32::from_be_bytes([message[1], message[2], message[3], message[4]]);
    let text = poll_ready(registry.schema_by_id(id))
        .ok_or_else(|| ConnectError::data("the in-memory registry never waits"))?
        .map_err(|e| data_error("registered schema", e))?;
    let apache_schema = apache_avro::Schema::parse_str(&text)
        .map_err(|e| data_error("apache-avro cannot parse the registered schema", e))?;
    let payload = &message[5..];
    let apache_value = apache_avro::from_avro_datum(&apache_schema, &mut &payload[..], None)
        .map_err(|e| data_error("apache-avro cannot decode our payload", e))?;
    let again = apache_avro::to_avro_datum(&apache_schema, apache_value.clone())
        .map_err(|e| data_error("apache-avro cannot encode the datum", e))?;
    if again != payload {
        return Err(ConnectError::data(
            "apache-avro encodes the datum differently from our converter",
        ));
    }

    let mut json = Vec::with_capacity(2);
    for schemas_enable in [true, false] {
        let converter = json_converter(schemas_enable)?;
        let bytes = connect_core::SyncConverter::serialize(&converter, Some(&schema), &value)?
            .ok_or_else(|| ConnectError::data("the JSON converter wrote no bytes"))?;
        json.push((converter, bytes));
    }
    let json: [(JsonConverter, Vec<u8>); 2] = json
        .try_into()
        .map_err(|_| ConnectError::data("two JSON converters"))?;
    Ok(AvroPrepared {
        schema,
        value,
        converter,
        message,
        apache_schema,
        apache_value,
        json,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_build_and_agree_with_apache_avro() {
        for record in [Record::Small, Record::Cdc] {
            let p = prepare(record).expect("fixture builds");
            assert_eq!(p.message[0], 0, "magic byte");
            assert!(p.message.len() > 5);
        }
    }
}
