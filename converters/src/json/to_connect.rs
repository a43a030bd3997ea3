//! JSON to Connect data, following Kafka Connect's `JsonConverter.convertToConnect`.
//!
//! The coercions are deliberately Java's, because that is what existing pipelines rely on:
//! a fraction in an integer field is truncated, out-of-range integers wrap, a number in a
//! string field becomes null, a non-array payload for an array schema becomes `[]`. Struct
//! fields are validated as Kafka's `Struct.put` does, so bad data fails with the same message.

use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::validate::validate_field_value;
use connect_core::{ConnectError, Result, Schema, SchemaType, Struct, Value};

use super::dom::{JsonNode, NodeType};

/// Converts one JSON node (or a missing one) to a Connect value for `schema`.
pub(crate) fn to_connect(
    schema: Option<&Schema>,
    node: Option<&JsonNode<'_>>,
    replace_null_with_default: bool,
) -> Result<Value> {
    let node = match node {
        Some(n) if !n.is_null_or_missing() => n,
        _ => {
            return match schema {
                None => Ok(Value::Null),
                Some(schema) => {
                    if let (Some(default), true) =
                        (schema.default_value(), replace_null_with_default)
                    {
                        Ok(default.clone())
                    } else if schema.is_optional() {
                        Ok(Value::Null)
                    } else {
                        Err(ConnectError::data(format!(
                            "Invalid null value for required {} field",
                            schema.kind()
                        )))
                    }
                }
            };
        }
    };
    let kind = match schema {
        Some(schema) => {
            if let Some(value) = logical_to_connect(schema, node)? {
                return Ok(value);
            }
            schema.kind()
        }
        None => match node.node_type() {
            NodeType::Boolean => SchemaType::Boolean,
            NodeType::Number if node.is_integral() => SchemaType::Int64,
            NodeType::Number => SchemaType::Float64,
            NodeType::Array => SchemaType::Array,
            NodeType::Object => SchemaType::Map,
            NodeType::String => SchemaType::String,
            NodeType::Missing | NodeType::Null => return Ok(Value::Null),
        },
    };
    Ok(match kind {
        SchemaType::Boolean => Value::Boolean(node.boolean_value()),
        SchemaType::Int8 => Value::Int8(node.int_value() as i8),
        SchemaType::Int16 => Value::Int16(node.int_value() as i16),
        SchemaType::Int32 => Value::Int32(node.int_value()),
        SchemaType::Int64 => Value::Int64(node.long_value()),
        SchemaType::Float32 => Value::Float32(node.float_value()),
        SchemaType::Float64 => Value::Float64(node.double_value()),
        SchemaType::String => node
            .text()
            .map_or(Value::Null, |s| Value::String(s.to_string())),
        SchemaType::Bytes => match node.binary_value() {
            None => Value::Null,
            Some(Ok(bytes)) => Value::Bytes(bytes),
            Some(Err(e)) => {
                return Err(ConnectError::data_caused_by(
                    "Invalid bytes field",
                    "InvalidFormatException",
                    e.to_string(),
                ));
            }
        },
        SchemaType::Array => {
            let element_schema = schema.and_then(Schema::value_schema);
            let items = node
                .elements()
                .map(|item| to_connect(element_schema, Some(item), replace_null_with_default))
                .collect::<Result<Vec<_>>>()?;
            Value::Array(items)
        }
        SchemaType::Map => map_to_connect(schema, node, replace_null_with_default)?,
        SchemaType::Struct => {
            let Some(schema) = schema else {
                return Err(ConnectError::data("Unknown schema type: null"));
            };
            struct_to_connect(schema, node, replace_null_with_default)?
        }
    })
}

fn map_to_connect(schema: Option<&Schema>, node: &JsonNode<'_>, replace: bool) -> Result<Value> {
    let key_schema = schema.and_then(Schema::key_schema);
    let value_schema = schema.and_then(Schema::value_schema);
    let string_keys = match (schema, key_schema) {
        (None, _) => true,
        (Some(_), Some(keys)) => keys.kind() == SchemaType::String,
        (Some(_), None) => false,
    };
    if string_keys {
        let JsonNode::Object(members) = node else {
            return Err(ConnectError::data(format!(
                "Maps with string fields should be encoded as JSON objects, but found {}",
                node.node_type()
            )));
        };
        let entries = members
            .iter()
            .map(|(k, v)| {
                Ok((
                    Value::String(k.to_string()),
                    to_connect(value_schema, Some(v), replace)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        return Ok(Value::Map(entries));
    }
    let JsonNode::Array(pairs) = node else {
        return Err(ConnectError::data(format!(
            "Maps with non-string fields should be encoded as JSON array of tuples, but found {}",
            node.node_type()
        )));
    };
    let mut entries: Vec<(Value, Value)> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        let JsonNode::Array(items) = pair else {
            return Err(ConnectError::data(format!(
                "Found invalid map entry instead of array tuple: {}",
                pair.node_type()
            )));
        };
        if items.len() != 2 {
            return Err(ConnectError::data(format!(
                "Found invalid map entry, expected length 2 but found :{}",
                items.len()
            )));
        }
        let key = to_connect(key_schema, items.first(), replace)?;
        let value = to_connect(value_schema, items.get(1), replace)?;
        // A Java HashMap keeps one entry per key: the last one written.
        match entries.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => entries.push((key, value)),
        }
    }
    Ok(Value::Map(entries))
}

fn struct_to_connect(schema: &Schema, node: &JsonNode<'_>, replace: bool) -> Result<Value> {
    if !matches!(node, JsonNode::Object(_)) {
        return Err(ConnectError::data(format!(
            "Structs should be encoded as JSON objects, but found {}",
            node.node_type()
        )));
    }
    let mut values = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        let value = to_connect(Some(field.schema()), node.get(field.name()), replace)?;
        validate_field_value(field.name(), field.schema(), &value)?;
        values.push(value);
    }
    Ok(Value::Struct(Struct::from_values_unchecked(
        schema.clone(),
        values,
    )))
}

/// Converts a logical-typed node; `Ok(None)` when the schema is not a logical type.
fn logical_to_connect(schema: &Schema, node: &JsonNode<'_>) -> Result<Option<Value>> {
    let Some(name) = schema.name() else {
        return Ok(None);
    };
    Ok(Some(match name {
        DECIMAL_NAME => {
            if let Some(decimal) = node.decimal_value() {
                let scale = logical::decimal_scale(schema)?;
                if decimal.scale() != scale {
                    return Err(ConnectError::data(format!(
                        "Decimal value has mismatching scale for given Decimal schema. Schema has scale {scale}, value has scale {}.",
                        decimal.scale()
                    )));
                }
                Value::Decimal(decimal)
            } else if let Some(bytes) = node.binary_value() {
                let decoded = bytes
                    .map_err(|e| {
                        ConnectError::data_caused_by(
                            "Invalid bytes for Decimal field",
                            "InvalidFormatException",
                            e.to_string(),
                        )
                    })
                    .and_then(|bytes| {
                        logical::decimal_to_logical(schema, &bytes)
                            .map_err(|e| e.wrap_data("Invalid bytes for Decimal field"))
                    })?;
                Value::Decimal(decoded)
            } else {
                return Err(ConnectError::data(format!(
                    "Invalid type for Decimal, underlying representation should be numeric or bytes but was {}",
                    node.node_type()
                )));
            }
        }
        DATE_NAME | TIME_NAME => {
            let short = if name == DATE_NAME { "Date" } else { "Time" };
            if !node.is_int() {
                return Err(ConnectError::data(format!(
                    "Invalid type for {short}, underlying representation should be integer but was {}",
                    node.node_type()
                )));
            }
            let millis = if name == DATE_NAME {
                logical::date_to_logical(schema, node.int_value())?
            } else {
                logical::time_to_logical(schema, node.int_value())?
            };
            Value::Timestamp(millis)
        }
        TIMESTAMP_NAME => {
            if !node.is_integral() {
                return Err(ConnectError::data(format!(
                    "Invalid type for Timestamp, underlying representation should be integral but was {}",
                    node.node_type()
                )));
            }
            Value::Timestamp(logical::timestamp_to_logical(schema, node.long_value())?)
        }
        _ => return Ok(None),
    }))
}
