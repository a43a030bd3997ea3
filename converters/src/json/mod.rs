//! `JsonConverter`: JSON byte-compatible with Kafka Connect's `org.apache.kafka.connect.json.JsonConverter`.
//!
//! With `schemas.enable=true` (the default) every message is an envelope
//! `{"schema":{...},"payload":...}` so consumers can rebuild typed data; with `false` the
//! payload is written alone and read back schemaless. Both directions cache schemas (keyed by
//! schema on write, by the exact schema text on read) so the per-record cost is converting
//! the payload, not the schema. Settings and their meaning are Kafka's:
//! `schemas.enable`, `schemas.cache.size`, `schema.content`, `decimal.format`,
//! `replace.null.with.default`.

pub mod dom;
mod from_connect;
mod schema;
mod to_connect;
pub mod write;

use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};
use connect_core::{
    ConnectError, ConverterType, Result, Schema, SchemaAndValue, SyncConverter, Value,
};
use lru::LruCache;

use from_connect::{PayloadWriter, WriteOptions};

/// `schemas.enable`: write and expect the schema envelope.
pub const SCHEMAS_ENABLE_CONFIG: &str = "schemas.enable";
/// `schemas.cache.size`: how many schemas each direction keeps parsed/rendered.
pub const SCHEMAS_CACHE_SIZE_CONFIG: &str = "schemas.cache.size";
/// `schema.content`: a fixed schema for reading plain payloads.
pub const SCHEMA_CONTENT_CONFIG: &str = "schema.content";
/// `decimal.format`: BASE64 or NUMERIC for Decimal values.
pub const DECIMAL_FORMAT_CONFIG: &str = "decimal.format";
/// `replace.null.with.default`: write/read a field's default in place of null.
pub const REPLACE_NULL_WITH_DEFAULT_CONFIG: &str = "replace.null.with.default";

/// How Decimal values are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecimalFormat {
    /// The unscaled value's bytes in base64 (Kafka's default; exact and compact).
    Base64,
    /// A JSON number in `BigDecimal.toString()` form (readable; consumers must keep precision).
    Numeric,
}

/// Schemas already written as JSON notation, by schema.
type RenderedSchemas = LruCache<Schema, Arc<[u8]>>;
/// Schemas already parsed, by the exact text of their JSON notation (`None` for `null`).
type ParsedSchemas = LruCache<Box<[u8]>, Option<Schema>>;

/// Kafka Connect's JSON converter, also usable as a header converter.
pub struct JsonConverter {
    schemas_enable: bool,
    write_options: WriteOptions,
    schema_content: Option<Schema>,
    rendered_schemas: Option<Mutex<RenderedSchemas>>,
    parsed_schemas: Option<Mutex<ParsedSchemas>>,
}

impl std::fmt::Debug for JsonConverter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonConverter")
            .field("schemas_enable", &self.schemas_enable)
            .field("write_options", &self.write_options)
            .field("schema_content", &self.schema_content)
            .finish_non_exhaustive()
    }
}

const ENVELOPE_ERROR: &str = "JsonConverter with schemas.enable requires \"schema\" and \"payload\" fields and may not contain additional fields. If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.";

fn serialization_error(e: dom::ParseError) -> ConnectError {
    ConnectError::data_caused_by(
        "Converting byte[] to Kafka Connect data failed due to serialization error: ",
        "SerializationException",
        e.message,
    )
}

impl JsonConverter {
    /// The settings the converter accepts, with Kafka's defaults.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    SCHEMAS_ENABLE_CONFIG,
                    ConfigType::Boolean,
                    Importance::High,
                    "Include the schema in every message as a {\"schema\":...,\"payload\":...} envelope, and expect it when reading.",
                )
                .with_default(ConfigValue::Boolean(true))
                .in_group("Schemas", 0)
                .with_display_name("Enable Schemas"),
            )
            .define(
                ConfigKey::new(
                    SCHEMAS_CACHE_SIZE_CONFIG,
                    ConfigType::Int,
                    Importance::High,
                    "How many schemas to keep converted in each direction; 0 disables the caches.",
                )
                .with_default(ConfigValue::Int(1000))
                .with_validator(Validator::Range { min: Some(0), max: None })
                .in_group("Schemas", 1)
                .with_display_name("Schema Cache Size"),
            )
            .define(
                ConfigKey::new(
                    SCHEMA_CONTENT_CONFIG,
                    ConfigType::String,
                    Importance::High,
                    "A schema (in the converter's JSON schema notation) applied to every message read; only used with schemas.enable=true, where messages are then plain payloads.",
                )
                .with_null_default()
                .in_group("Schemas", 2)
                .with_display_name("Schema Content"),
            )
            .define(
                ConfigKey::new(
                    DECIMAL_FORMAT_CONFIG,
                    ConfigType::String,
                    Importance::Low,
                    "How Decimal values are written: BASE64 (the unscaled bytes, exact) or NUMERIC (a JSON number). Both are accepted when reading.",
                )
                .with_default(ConfigValue::String("BASE64".to_string()))
                .with_validator(Validator::OneOfIgnoreCase(vec!["BASE64".to_string(), "NUMERIC".to_string()]))
                .in_group("Serialization", 0)
                .with_display_name("Decimal Format"),
            )
            .define(
                ConfigKey::new(
                    REPLACE_NULL_WITH_DEFAULT_CONFIG,
                    ConfigType::Boolean,
                    Importance::Low,
                    "Write and read a field's default value in place of null.",
                )
                .with_default(ConfigValue::Boolean(true))
                .in_group("Serialization", 1)
                .with_display_name("Replace null with default"),
            )
    }

    /// A converter configured from Kafka Connect settings (the converter's prefix, such as
    /// `value.converter.`, already removed). The key/value role does not change the JSON
    /// format; it is accepted for symmetry with other converters.
    pub fn new(props: &Properties, _kind: ConverterType) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let schemas_enable = config.boolean(SCHEMAS_ENABLE_CONFIG).unwrap_or(true);
        let cache_size = config.int(SCHEMAS_CACHE_SIZE_CONFIG).unwrap_or(1000);
        let decimal_format = match config.string(DECIMAL_FORMAT_CONFIG) {
            Some(f) if f.eq_ignore_ascii_case("NUMERIC") => DecimalFormat::Numeric,
            _ => DecimalFormat::Base64,
        };
        let replace_null_with_default = config
            .boolean(REPLACE_NULL_WITH_DEFAULT_CONFIG)
            .unwrap_or(true);
        let schema_content = match config.string(SCHEMA_CONTENT_CONFIG) {
            Some(text) if !text.is_empty() => {
                let node = dom::parse(text.as_bytes()).map_err(|e| {
                    ConnectError::data_caused_by(
                        "Failed to parse schema.content",
                        "SerializationException",
                        e.message,
                    )
                })?;
                schema::parse_schema(&node, replace_null_with_default)?
            }
            _ => None,
        };
        let capacity = usize::try_from(cache_size).ok().and_then(NonZeroUsize::new);
        Ok(Self {
            schemas_enable,
            write_options: WriteOptions {
                decimal_format,
                replace_null_with_default,
            },
            schema_content,
            rendered_schemas: capacity.map(|c| Mutex::new(LruCache::new(c))),
            parsed_schemas: capacity.map(|c| Mutex::new(LruCache::new(c))),
        })
    }

    /// Serializes a value: `Ok(None)` for a null value without schema (a tombstone).
    fn serialize_value(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if schema.is_none() && value.is_null() {
            return Ok(None);
        }
        let mut writer = PayloadWriter::new(self.write_options);
        let mut out = Vec::with_capacity(256);
        if self.schemas_enable {
            out.extend_from_slice(b"{\"schema\":");
            match schema {
                Some(schema) => self.write_schema_cached(&mut out, schema, &mut writer)?,
                None => out.extend_from_slice(b"null"),
            }
            out.extend_from_slice(b",\"payload\":");
            writer.write(&mut out, schema, value)?;
            out.push(b'}');
        } else {
            writer.write(&mut out, schema, value)?;
        }
        Ok(Some(out))
    }

    fn write_schema_cached(
        &self,
        out: &mut Vec<u8>,
        schema: &Schema,
        writer: &mut PayloadWriter,
    ) -> Result<()> {
        let Some(cache) = &self.rendered_schemas else {
            return schema::write_schema(out, schema, writer);
        };
        if let Some(rendered) = lock(cache).get(schema) {
            out.extend_from_slice(rendered);
            return Ok(());
        }
        let mut rendered = Vec::with_capacity(128);
        schema::write_schema(&mut rendered, schema, writer)?;
        out.extend_from_slice(&rendered);
        lock(cache).put(schema.clone(), Arc::from(rendered));
        Ok(())
    }

    /// Deserializes bytes read from Kafka; `None` (a tombstone) gives no schema and null.
    fn deserialize_value(&self, data: Option<&[u8]>) -> Result<SchemaAndValue> {
        let Some(data) = data else {
            return Ok(SchemaAndValue::NULL);
        };
        let replace = self.write_options.replace_null_with_default;
        if !self.schemas_enable {
            let node = dom::parse(data).map_err(serialization_error)?;
            let value = to_connect::to_connect(None, Some(&node), replace)?;
            return Ok(SchemaAndValue::new(None, value));
        }
        if let Some(fixed) = &self.schema_content {
            let node = dom::parse(data).map_err(serialization_error)?;
            let value = to_connect::to_connect(Some(fixed), Some(&node), replace)?;
            return Ok(SchemaAndValue::new(Some(fixed.clone()), value));
        }
        let envelope = match dom::parse_envelope(data, "schema").map_err(serialization_error)? {
            Ok(envelope) => envelope,
            Err(_) => return Err(ConnectError::data(ENVELOPE_ERROR)),
        };
        let members = &envelope.members;
        let find = |name: &str| members.iter().find(|(k, _, _)| k == name);
        let (Some(schema_member), Some(payload_member), 2) =
            (find("schema"), find("payload"), members.len())
        else {
            return Err(ConnectError::data(ENVELOPE_ERROR));
        };
        let schema = self.parse_schema_cached(&data[schema_member.2.clone()])?;
        let value = to_connect::to_connect(schema.as_ref(), payload_member.1.as_ref(), replace)?;
        Ok(SchemaAndValue::new(schema, value))
    }

    /// The schema written as `text` (JSON notation), parsed once per distinct text.
    fn parse_schema_cached(&self, text: &[u8]) -> Result<Option<Schema>> {
        let replace = self.write_options.replace_null_with_default;
        let parse = || -> Result<Option<Schema>> {
            let node = dom::parse(text).map_err(serialization_error)?;
            schema::parse_schema(&node, replace)
        };
        let Some(cache) = &self.parsed_schemas else {
            return parse();
        };
        if let Some(schema) = lock(cache).get(text) {
            return Ok(schema.clone());
        }
        let schema = parse()?;
        lock(cache).put(Box::from(text), schema.clone());
        Ok(schema)
    }
}

/// Locks a cache; a panic in another thread mid-update cannot corrupt an LRU cache in a way
/// that matters (worst case a lost entry), so poisoning is ignored.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl SyncConverter for JsonConverter {
    fn serialize(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        self.serialize_value(schema, value)
    }

    fn deserialize(&self, data: Option<&[u8]>) -> Result<SchemaAndValue> {
        self.deserialize_value(data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::{HeaderConverter, SchemaBuilder, SchemaType, Struct, logical};

    fn converter(pairs: &[(&str, &str)]) -> Result<JsonConverter> {
        let props: Properties = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        JsonConverter::new(&props, ConverterType::Value)
    }

    fn order_schema() -> Schema {
        SchemaBuilder::structure()
            .name("shop.Order")
            .field("id", Schema::primitive(SchemaType::Int64, false).unwrap())
            .field("amount", logical::decimal_schema(2).build().unwrap())
            .field(
                "placed",
                logical::timestamp_schema().optional().build().unwrap(),
            )
            .field(
                "tags",
                SchemaBuilder::array(Schema::primitive(SchemaType::String, false).unwrap())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    fn order() -> Value {
        let s = Struct::new(order_schema())
            .unwrap()
            .with("id", 7i64)
            .unwrap()
            .with("amount", connect_core::BigDecimal::new(1999, 2))
            .unwrap()
            .with("placed", Value::Timestamp(1_700_000_000_123))
            .unwrap()
            .with("tags", Value::Array(vec!["a".into()]))
            .unwrap();
        Value::Struct(s)
    }

    #[test]
    fn round_trips_a_typed_record_through_the_envelope() {
        for cache in ["1000", "0"] {
            let c = converter(&[(SCHEMAS_CACHE_SIZE_CONFIG, cache)]).unwrap();
            for _ in 0..3 {
                // Repeated calls exercise the caches in both directions.
                let bytes = c
                    .serialize(Some(&order_schema()), &order())
                    .unwrap()
                    .unwrap();
                let back = c.deserialize(Some(&bytes)).unwrap();
                assert_eq!(back.schema.as_ref(), Some(&order_schema()));
                assert_eq!(back.value, order());
            }
        }
    }

    #[test]
    fn numeric_decimals_are_written_as_numbers_and_read_back() {
        let c = converter(&[
            (DECIMAL_FORMAT_CONFIG, "numeric"),
            (SCHEMAS_ENABLE_CONFIG, "false"),
        ])
        .unwrap();
        let bytes = c
            .serialize(Some(&order_schema()), &order())
            .unwrap()
            .unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            r#"{"id":7,"amount":19.99,"placed":1700000000123,"tags":["a"]}"#
        );
    }

    #[test]
    fn invalid_settings_are_config_errors_naming_the_key() {
        let err = converter(&[(DECIMAL_FORMAT_CONFIG, "HEX")]).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value HEX for configuration decimal.format: String must be one of (case insensitive): BASE64, NUMERIC"
        );
        let err = converter(&[(SCHEMAS_ENABLE_CONFIG, "maybe")]).unwrap_err();
        assert!(err.message().contains("schemas.enable"), "{err}");
        let err = converter(&[(SCHEMAS_CACHE_SIZE_CONFIG, "-1")]).unwrap_err();
        assert!(err.message().contains("schemas.cache.size"), "{err}");
    }

    #[test]
    fn malformed_input_is_a_data_error_with_the_parse_cause() {
        let c = converter(&[]).unwrap();
        let err = c.deserialize(Some(b"{\"schema\":")).unwrap_err();
        assert_eq!(err.simple_class(), "DataException");
        assert_eq!(err.cause().unwrap().class, "SerializationException");
        let err = c
            .deserialize(Some(br#"{"schema":{"type":"int32"},"payload":1,"x":2}"#))
            .unwrap_err();
        assert_eq!(err.message(), ENVELOPE_ERROR);
    }

    #[test]
    fn schema_content_types_plain_payloads() {
        let c = converter(&[(
            SCHEMA_CONTENT_CONFIG,
            r#"{"type":"struct","fields":[{"field":"id","type":"int32"}]}"#,
        )])
        .unwrap();
        let read = c.deserialize(Some(br#"{"id":5}"#)).unwrap();
        let schema = read.schema.unwrap();
        assert_eq!(schema.kind(), SchemaType::Struct);
        assert_eq!(
            read.value.as_struct().unwrap().get("id").unwrap(),
            &Value::Int32(5)
        );
    }

    #[test]
    fn header_converter_uses_the_same_format() {
        let c = converter(&[(SCHEMAS_ENABLE_CONFIG, "false")]).unwrap();
        let bytes = c
            .from_connect_header("t", "h", None, &Value::Int64(5))
            .unwrap();
        assert_eq!(bytes.as_deref(), Some(&b"5"[..]));
        let back = c.to_connect_header("t", "h", bytes.as_deref()).unwrap();
        assert_eq!(back.value, Value::Int64(5));
    }
}
