//! The language-neutral form of Connect data used by the conformance vectors.
//!
//! Vectors describe a Connect `(schema, value)` as the envelope Kafka's JsonConverter writes
//! with `schemas.enable=true` and `decimal.format=BASE64`, plus `*_types` sidecars for
//! schemaless values whose Java types the default JSON rules cannot express. This decoder is
//! written independently of the converter under test (it shares only the JSON tokenizer), so
//! a bug in the converter's schema or value mapping cannot hide by being on both sides of a
//! comparison. Unlike the converter, it never substitutes defaults, never validates, and
//! reads `-0.0`, `"NaN"` and `"Infinity"` as the special floats they stand for.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use connect_converters::json::dom::JsonNode;
use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::time::MILLIS_PER_DAY;
use connect_core::{BigDecimal, ConnectRecord, Schema, SchemaBuilder, SchemaType, Struct, Value};

/// Why a neutral document could not be decoded (a malformed vector, not a failed check).
#[derive(Debug, thiserror::Error)]
pub enum NeutralError {
    /// The document does not follow the neutral format.
    #[error("malformed neutral data: {0}")]
    Malformed(String),
    /// The schema it describes cannot be built.
    #[error("invalid schema in neutral data: {0}")]
    Schema(#[from] connect_core::ConnectError),
}

fn malformed(what: impl Into<String>) -> NeutralError {
    NeutralError::Malformed(what.into())
}

/// Decodes an envelope `{"schema": ..., "payload": ...}` and its optional types sidecar.
pub fn decode_envelope(
    envelope: &JsonNode<'_>,
    types: Option<&JsonNode<'_>>,
) -> Result<(Option<Schema>, Value), NeutralError> {
    let schema_node = envelope
        .get("schema")
        .ok_or_else(|| malformed("envelope without \"schema\""))?;
    let payload = envelope
        .get("payload")
        .ok_or_else(|| malformed("envelope without \"payload\""))?;
    let schema = decode_schema(schema_node)?;
    let value = match &schema {
        Some(schema) => decode_value(schema, payload)?,
        None => decode_schemaless(payload, types)?,
    };
    Ok((schema, value))
}

fn type_from_json_name(name: &str) -> Option<SchemaType> {
    Some(match name {
        "int8" => SchemaType::Int8,
        "int16" => SchemaType::Int16,
        "int32" => SchemaType::Int32,
        "int64" => SchemaType::Int64,
        "float" => SchemaType::Float32,
        "double" => SchemaType::Float64,
        "boolean" => SchemaType::Boolean,
        "string" => SchemaType::String,
        "bytes" => SchemaType::Bytes,
        "array" => SchemaType::Array,
        "map" => SchemaType::Map,
        "struct" => SchemaType::Struct,
        _ => return None,
    })
}

fn required_schema(node: Option<&JsonNode<'_>>, what: &str) -> Result<Schema, NeutralError> {
    let node = node.ok_or_else(|| malformed(format!("schema without {what}")))?;
    decode_schema(node)?.ok_or_else(|| malformed(format!("null {what}")))
}

/// Decodes a schema in JsonConverter notation; JSON null means no schema.
pub fn decode_schema(node: &JsonNode<'_>) -> Result<Option<Schema>, NeutralError> {
    if matches!(node, JsonNode::Null) {
        return Ok(None);
    }
    let type_name = node
        .get("type")
        .and_then(JsonNode::text)
        .ok_or_else(|| malformed("schema without a type"))?;
    let kind = type_from_json_name(type_name)
        .ok_or_else(|| malformed(format!("unknown type {type_name}")))?;
    let mut builder = match kind {
        SchemaType::Array => SchemaBuilder::array(required_schema(node.get("items"), "items")?),
        SchemaType::Map => SchemaBuilder::map(
            required_schema(node.get("keys"), "keys")?,
            required_schema(node.get("values"), "values")?,
        ),
        SchemaType::Struct => {
            let Some(JsonNode::Array(fields)) = node.get("fields") else {
                return Err(malformed("struct schema without fields"));
            };
            let mut builder = SchemaBuilder::structure();
            for field in fields {
                let name = field
                    .get("field")
                    .and_then(JsonNode::text)
                    .ok_or_else(|| malformed("struct field without a name"))?;
                let schema = decode_schema(field)?.ok_or_else(|| malformed("null field schema"))?;
                builder = builder.field(name, schema);
            }
            builder
        }
        other => SchemaBuilder::new(other),
    };
    if let Some(JsonNode::Bool(optional)) = node.get("optional") {
        builder = builder.set_optional(*optional);
    }
    if let Some(name) = node.get("name").and_then(JsonNode::text) {
        builder = builder.name(name);
    }
    if let Some(version) = node.get("version") {
        builder = builder.version(version.int_value());
    }
    if let Some(doc) = node.get("doc").and_then(JsonNode::text) {
        builder = builder.doc(doc);
    }
    if let Some(JsonNode::Object(params)) = node.get("parameters") {
        let mut pairs = Vec::new();
        for (k, v) in params {
            let v = v
                .text()
                .ok_or_else(|| malformed("non-string schema parameter"))?;
            pairs.push((k.to_string(), v.to_string()));
        }
        builder = builder.parameters(pairs);
    }
    if let Some(default) = node.get("default") {
        let bare = builder.clone().build()?;
        builder = builder.default_value(decode_value(&bare, default)?);
    }
    Ok(Some(builder.build()?))
}

fn special_float(node: &JsonNode<'_>) -> Option<f64> {
    match node.text()? {
        "NaN" => Some(f64::NAN),
        "Infinity" => Some(f64::INFINITY),
        "-Infinity" => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn float64(node: &JsonNode<'_>) -> Result<f64, NeutralError> {
    if let Some(special) = special_float(node) {
        return Ok(special);
    }
    match node {
        JsonNode::Decimal(text) | JsonNode::BigInt(text) => text
            .parse::<f64>()
            .map_err(|_| malformed(format!("bad float {text}"))),
        JsonNode::Int(v) => Ok(*v as f64),
        JsonNode::Long(v) => Ok(*v as f64),
        other => Err(malformed(format!("expected a float, found {other:?}"))),
    }
}

fn integer(node: &JsonNode<'_>) -> Result<i64, NeutralError> {
    match node {
        JsonNode::Int(v) => Ok(*v as i64),
        JsonNode::Long(v) => Ok(*v),
        other => Err(malformed(format!("expected an integer, found {other:?}"))),
    }
}

fn base64_bytes(node: &JsonNode<'_>) -> Result<Vec<u8>, NeutralError> {
    let text = node
        .text()
        .ok_or_else(|| malformed("expected base64 text"))?;
    BASE64
        .decode(text)
        .map_err(|e| malformed(format!("bad base64 {text}: {e}")))
}

fn text(node: &JsonNode<'_>) -> Result<String, NeutralError> {
    node.text()
        .map(str::to_string)
        .ok_or_else(|| malformed(format!("expected a string, found {node:?}")))
}

/// Decodes a payload typed by `schema` (no defaults substituted, nothing validated).
pub fn decode_value(schema: &Schema, node: &JsonNode<'_>) -> Result<Value, NeutralError> {
    if matches!(node, JsonNode::Null) {
        return Ok(Value::Null);
    }
    match schema.name() {
        Some(DECIMAL_NAME) => {
            let scale = logical::decimal_scale(schema)?;
            let bytes = base64_bytes(node)?;
            return BigDecimal::from_twos_complement(&bytes, scale)
                .map(Value::Decimal)
                .map_err(|e| malformed(e.to_string()));
        }
        Some(DATE_NAME) => return Ok(Value::Timestamp(integer(node)? * MILLIS_PER_DAY)),
        Some(TIME_NAME | TIMESTAMP_NAME) => return Ok(Value::Timestamp(integer(node)?)),
        _ => {}
    }
    Ok(match schema.kind() {
        SchemaType::Int8 => Value::Int8(integer(node)? as i8),
        SchemaType::Int16 => Value::Int16(integer(node)? as i16),
        SchemaType::Int32 => Value::Int32(integer(node)? as i32),
        SchemaType::Int64 => Value::Int64(integer(node)?),
        SchemaType::Float32 => Value::Float32(float64(node)? as f32),
        SchemaType::Float64 => Value::Float64(float64(node)?),
        SchemaType::Boolean => match node {
            JsonNode::Bool(b) => Value::Boolean(*b),
            other => return Err(malformed(format!("expected a boolean, found {other:?}"))),
        },
        SchemaType::String => Value::String(text(node)?),
        SchemaType::Bytes => Value::Bytes(base64_bytes(node)?),
        SchemaType::Array => {
            let items = schema
                .value_schema()
                .ok_or_else(|| malformed("array without items"))?;
            let JsonNode::Array(elements) = node else {
                return Err(malformed("array payload is not an array"));
            };
            Value::Array(
                elements
                    .iter()
                    .map(|e| decode_value(items, e))
                    .collect::<Result<_, _>>()?,
            )
        }
        SchemaType::Map => {
            let (keys, values) = schema
                .key_schema()
                .zip(schema.value_schema())
                .ok_or_else(|| malformed("map without keys/values"))?;
            match node {
                JsonNode::Object(members) if keys.kind() == SchemaType::String => Value::Map(
                    members
                        .iter()
                        .map(|(k, v)| Ok((Value::String(k.to_string()), decode_value(values, v)?)))
                        .collect::<Result<_, NeutralError>>()?,
                ),
                JsonNode::Array(pairs) => Value::Map(
                    pairs
                        .iter()
                        .map(|pair| match pair {
                            JsonNode::Array(kv) if kv.len() == 2 => {
                                Ok((decode_value(keys, &kv[0])?, decode_value(values, &kv[1])?))
                            }
                            _ => Err(malformed("map entry is not a [key, value] pair")),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                other => return Err(malformed(format!("bad map payload {other:?}"))),
            }
        }
        SchemaType::Struct => {
            let JsonNode::Object(_) = node else {
                return Err(malformed("struct payload is not an object"));
            };
            let values = schema
                .fields()
                .iter()
                .map(|f| match node.get(f.name()) {
                    Some(v) => decode_value(f.schema(), v),
                    None => Ok(Value::Null),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Value::Struct(Struct::from_values_unchecked(schema.clone(), values))
        }
    })
}

/// Decodes a schemaless payload, using the `*_types` sidecar where present and the default
/// rules (integers are Long, other numbers Double, objects are string-keyed maps) elsewhere.
pub fn decode_schemaless(
    node: &JsonNode<'_>,
    types: Option<&JsonNode<'_>>,
) -> Result<Value, NeutralError> {
    match types {
        None => decode_default(node),
        Some(JsonNode::String(leaf)) => decode_leaf(node, leaf),
        Some(JsonNode::Array(item_types)) => {
            let JsonNode::Array(items) = node else {
                return Err(malformed("types sidecar is a list but the value is not"));
            };
            Ok(Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| decode_schemaless(item, item_types.get(i)))
                    .collect::<Result<_, _>>()?,
            ))
        }
        Some(sidecar @ JsonNode::Object(_)) => {
            if let Some(JsonNode::Array(pair_types)) = sidecar.get("$map_pairs") {
                let JsonNode::Array(pairs) = node else {
                    return Err(malformed(
                        "$map_pairs sidecar but the value is not a list of pairs",
                    ));
                };
                let mut entries = Vec::with_capacity(pairs.len());
                for (i, pair) in pairs.iter().enumerate() {
                    let (JsonNode::Array(kv), Some(JsonNode::Array(kv_types))) =
                        (pair, pair_types.get(i))
                    else {
                        return Err(malformed("bad $map_pairs entry"));
                    };
                    let (Some(k), Some(v)) = (kv.first(), kv.get(1)) else {
                        return Err(malformed("map pair without key and value"));
                    };
                    entries.push((
                        decode_schemaless(k, kv_types.first())?,
                        decode_schemaless(v, kv_types.get(1))?,
                    ));
                }
                return Ok(Value::Map(entries));
            }
            let JsonNode::Object(members) = node else {
                return Err(malformed("types sidecar is a map but the value is not"));
            };
            Ok(Value::Map(
                members
                    .iter()
                    .map(|(k, v)| {
                        Ok((
                            Value::String(k.to_string()),
                            decode_schemaless(v, sidecar.get(k))?,
                        ))
                    })
                    .collect::<Result<_, NeutralError>>()?,
            ))
        }
        Some(other) => Err(malformed(format!("unsupported types sidecar {other:?}"))),
    }
}

fn decode_default(node: &JsonNode<'_>) -> Result<Value, NeutralError> {
    Ok(match node {
        JsonNode::Null | JsonNode::Missing => Value::Null,
        JsonNode::Bool(b) => Value::Boolean(*b),
        JsonNode::Int(_) | JsonNode::Long(_) | JsonNode::BigInt(_) => {
            Value::Int64(node.long_value())
        }
        JsonNode::Decimal(_) => Value::Float64(float64(node)?),
        JsonNode::String(s) => Value::String(s.to_string()),
        JsonNode::Array(items) => {
            Value::Array(items.iter().map(decode_default).collect::<Result<_, _>>()?)
        }
        JsonNode::Object(members) => Value::Map(
            members
                .iter()
                .map(|(k, v)| Ok((Value::String(k.to_string()), decode_default(v)?)))
                .collect::<Result<_, NeutralError>>()?,
        ),
    })
}

fn decode_leaf(node: &JsonNode<'_>, leaf: &str) -> Result<Value, NeutralError> {
    if matches!(node, JsonNode::Null) {
        return Ok(Value::Null);
    }
    Ok(match leaf {
        "int8" => Value::Int8(integer(node)? as i8),
        "int16" => Value::Int16(integer(node)? as i16),
        "int32" => Value::Int32(integer(node)? as i32),
        "int64" => Value::Int64(integer(node)?),
        "float32" => Value::Float32(float64(node)? as f32),
        "float64" => Value::Float64(float64(node)?),
        "boolean" => decode_default(node)?,
        "string" => Value::String(text(node)?),
        "null" => Value::Null,
        "bytes" => Value::Bytes(base64_bytes(node)?),
        "date" => Value::Timestamp(integer(node)?),
        "decimal" => Value::Decimal(
            text(node)?
                .parse()
                .map_err(|e: connect_core::decimal::ParseDecimalError| malformed(e.to_string()))?,
        ),
        other => return Err(malformed(format!("unknown sidecar type {other}"))),
    })
}

/// Decodes a record in the form of the transforms vectors (`{"topic", "kafkaPartition",
/// "key", "key_types", "value", "value_types", "timestamp", "headers": [{"key", "value",
/// "value_types"}]}`) into a source record, as Kafka's harness built a `SourceRecord` with
/// no source partition or offset.
pub fn decode_record(node: &JsonNode<'_>) -> Result<ConnectRecord, NeutralError> {
    let topic = node
        .get("topic")
        .and_then(JsonNode::text)
        .ok_or_else(|| malformed("record without a topic"))?;
    let part = |name: &str| -> Result<(Option<Schema>, Value), NeutralError> {
        let envelope = node
            .get(name)
            .ok_or_else(|| malformed(format!("record without {name}")))?;
        decode_envelope(envelope, node.get(&format!("{name}_types")))
    };
    let (key_schema, key) = part("key")?;
    let (value_schema, value) = part("value")?;
    let mut record = ConnectRecord::source(topic, value_schema, value);
    record.key_schema = key_schema;
    record.key = key;
    record.kafka_partition = optional_integer(node.get("kafkaPartition"))?.map(|p| p as i32);
    record.timestamp = optional_integer(node.get("timestamp"))?;
    if let Some(JsonNode::Array(headers)) = node.get("headers") {
        for header in headers {
            let key = header
                .get("key")
                .and_then(JsonNode::text)
                .ok_or_else(|| malformed("header without a key"))?;
            let envelope = header
                .get("value")
                .ok_or_else(|| malformed("header without a value"))?;
            let (schema, value) = decode_envelope(envelope, header.get("value_types"))?;
            record.headers.add(key, schema, value);
        }
    }
    Ok(record)
}

fn optional_integer(node: Option<&JsonNode<'_>>) -> Result<Option<i64>, NeutralError> {
    match node {
        None | Some(JsonNode::Null) => Ok(None),
        Some(other) => integer(other).map(Some),
    }
}
