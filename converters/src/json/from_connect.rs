//! Connect data to JSON text, following Kafka Connect's `JsonConverter.convertToJson`.
//!
//! Values are written straight to bytes (no intermediate tree): the output is the same as
//! Jackson's, and a record costs one pass over its value.

use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::{ConnectError, Result, Schema, SchemaType, Value};

use super::DecimalFormat;
use super::write::{write_base64, write_f32, write_f64, write_int, write_string};

/// The converter settings that shape the output.
#[derive(Clone, Copy, Debug)]
pub(crate) struct WriteOptions {
    pub(crate) decimal_format: DecimalFormat,
    pub(crate) replace_null_with_default: bool,
}

/// Writes Connect values as JSON.
pub(crate) struct PayloadWriter {
    options: WriteOptions,
}

fn type_error(schema: Option<&Schema>, value: &Value) -> ConnectError {
    let kind = schema.map_or("unknown schema", |s| s.kind().name());
    ConnectError::data(format!(
        "Invalid type for {kind}: class {}",
        value.java_class_name()
    ))
}

fn logical_type_error(name: &str, expected: &str, value: &Value) -> ConnectError {
    ConnectError::data(format!(
        "Invalid type for {name}, expected {expected} but was class {}",
        value.java_class_name()
    ))
}

impl PayloadWriter {
    pub(crate) fn new(options: WriteOptions) -> Self {
        Self { options }
    }

    /// Appends `value` (typed by `schema`, or schemaless) as JSON.
    pub(crate) fn write(
        &mut self,
        out: &mut Vec<u8>,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<()> {
        if value.is_null() {
            let Some(schema) = schema else {
                out.extend_from_slice(b"null");
                return Ok(());
            };
            if let (Some(default), true) = (
                schema.default_value(),
                self.options.replace_null_with_default,
            ) {
                return self.write(out, Some(schema), default);
            }
            if schema.is_optional() {
                out.extend_from_slice(b"null");
                return Ok(());
            }
            return Err(ConnectError::data(
                "Conversion error: null value for field that is required and has no default value",
            ));
        }
        if let Some(name) = schema.and_then(Schema::name)
            && self.write_logical(out, schema, name, value)?
        {
            return Ok(());
        }
        let kind = match schema {
            Some(s) => s.kind(),
            None => value.schemaless_type().ok_or_else(|| {
                ConnectError::data(format!(
                    "Java class class {} does not have corresponding schema type.",
                    value.java_class_name()
                ))
            })?,
        };
        match (kind, value) {
            (SchemaType::Int8, Value::Int8(v)) => write_int(out, *v),
            (SchemaType::Int16, Value::Int16(v)) => write_int(out, *v),
            (SchemaType::Int32, Value::Int32(v)) => write_int(out, *v),
            (SchemaType::Int64, Value::Int64(v)) => write_int(out, *v),
            (SchemaType::Float32, Value::Float32(v)) => write_f32(out, *v),
            (SchemaType::Float64, Value::Float64(v)) => write_f64(out, *v),
            (SchemaType::Boolean, Value::Boolean(v)) => {
                out.extend_from_slice(if *v { b"true" } else { b"false" })
            }
            (SchemaType::String, Value::String(v)) => write_string(out, v),
            (SchemaType::Bytes, Value::Bytes(v)) => write_base64(out, v),
            (SchemaType::Bytes, other) => {
                return Err(ConnectError::data(format!(
                    "Invalid type for bytes type: class {}",
                    other.java_class_name()
                )));
            }
            (SchemaType::Array, Value::Array(items)) => {
                let element_schema = schema.and_then(Schema::value_schema);
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    self.write(out, element_schema, item)?;
                }
                out.push(b']');
            }
            (SchemaType::Map, Value::Map(entries)) => self.write_map(out, schema, entries)?,
            (SchemaType::Struct, Value::Struct(s)) => {
                let Some(schema) = schema.filter(|sch| *s.schema() == **sch) else {
                    return Err(ConnectError::data("Mismatching schema."));
                };
                out.push(b'{');
                for (i, (field, field_value)) in schema.fields().iter().zip(s.values()).enumerate()
                {
                    if i > 0 {
                        out.push(b',');
                    }
                    write_string(out, field.name());
                    out.push(b':');
                    self.write(out, Some(field.schema()), field_value)?;
                }
                out.push(b'}');
            }
            (_, other) => return Err(type_error(schema, other)),
        }
        Ok(())
    }

    fn write_map(
        &mut self,
        out: &mut Vec<u8>,
        schema: Option<&Schema>,
        entries: &[(Value, Value)],
    ) -> Result<()> {
        let key_schema = schema.and_then(Schema::key_schema);
        let value_schema = schema.and_then(Schema::value_schema);
        let object_mode = match key_schema {
            Some(keys) => keys.kind() == SchemaType::String,
            None if schema.is_some() => false,
            None => entries.iter().all(|(k, _)| matches!(k, Value::String(_))),
        };
        if object_mode {
            out.push(b'{');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                match key {
                    Value::String(text) => write_string(out, text),
                    other => {
                        // Anything else goes through the same conversion (and type checks) as
                        // any value, then is used as text, like Jackson's `asText()`.
                        let mut key_json = Vec::new();
                        self.write(&mut key_json, key_schema, other)?;
                        let text = String::from_utf8_lossy(&key_json);
                        write_string(out, text.trim_matches('"'));
                    }
                }
                out.push(b':');
                self.write(out, value_schema, value)?;
            }
            out.push(b'}');
        } else {
            out.push(b'[');
            for (i, (key, value)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                out.push(b'[');
                self.write(out, key_schema, key)?;
                out.push(b',');
                self.write(out, value_schema, value)?;
                out.push(b']');
            }
            out.push(b']');
        }
        Ok(())
    }

    /// Writes a logical-typed value; `Ok(false)` when `name` is not a logical type.
    fn write_logical(
        &mut self,
        out: &mut Vec<u8>,
        schema: Option<&Schema>,
        name: &str,
        value: &Value,
    ) -> Result<bool> {
        let Some(schema) = schema else {
            return Ok(false);
        };
        match name {
            DECIMAL_NAME => {
                let Value::Decimal(decimal) = value else {
                    return Err(logical_type_error("Decimal", "BigDecimal", value));
                };
                match self.options.decimal_format {
                    DecimalFormat::Numeric => {
                        use std::io::Write;
                        // Writing into a Vec cannot fail.
                        let _ = write!(out, "{decimal}");
                    }
                    DecimalFormat::Base64 => {
                        let bytes = logical::decimal_from_logical(schema, decimal)?;
                        write_base64(out, &bytes);
                    }
                }
            }
            DATE_NAME | TIME_NAME | TIMESTAMP_NAME => {
                let Value::Timestamp(millis) = value else {
                    let short = name.rsplit('.').next().unwrap_or(name);
                    return Err(logical_type_error(short, "Date", value));
                };
                match name {
                    DATE_NAME => write_int(out, logical::date_from_logical(schema, *millis)?),
                    TIME_NAME => write_int(out, logical::time_from_logical(schema, *millis)?),
                    _ => write_int(out, logical::timestamp_from_logical(schema, *millis)?),
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }
}
