//! `ByteArrayConverter`: passes bytes through untouched (Kafka's
//! `org.apache.kafka.connect.converters.ByteArrayConverter`).
//!
//! The converter of choice when a pipeline only moves opaque payloads: no parsing, no
//! schema, and the bytes on the topic are exactly the bytes the source produced.

use connect_core::config::{ConfigDef, Properties};
use connect_core::{
    ConnectError, Result, Schema, SchemaAndValue, SchemaType, SyncConverter, Value,
};

/// Copies BYTES values to and from Kafka unchanged.
#[derive(Debug, Default, Clone)]
pub struct ByteArrayConverter;

impl ByteArrayConverter {
    /// No settings: the converter has nothing to configure.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }

    /// A converter; unknown settings are ignored, as Kafka does.
    pub fn new(_props: &Properties) -> Result<Self> {
        Ok(Self)
    }
}

impl SyncConverter for ByteArrayConverter {
    /// The bytes of a BYTES value; null stays null. Any other schema or value is an error,
    /// because silently stringifying it would put something unexpected on the topic.
    fn serialize(&self, schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        if let Some(schema) = schema
            && schema.kind() != SchemaType::Bytes
        {
            return Err(ConnectError::data(format!(
                "Invalid schema type for ByteArrayConverter: {}",
                schema.kind()
            )));
        }
        match value {
            Value::Null => Ok(None),
            Value::Bytes(bytes) => Ok(Some(bytes.clone())),
            other => Err(ConnectError::data(format!(
                "ByteArrayConverter is not compatible with objects of type class {}",
                other.java_class_name()
            ))),
        }
    }

    /// Moves the bytes out of the value: no copy on the data path.
    fn serialize_owned(&self, schema: Option<&Schema>, value: Value) -> Result<Option<Vec<u8>>> {
        match value {
            Value::Bytes(bytes) if schema.is_none_or(|s| s.kind() == SchemaType::Bytes) => {
                Ok(Some(bytes))
            }
            other => self.serialize(schema, &other),
        }
    }

    /// The bytes as an optional BYTES value.
    fn deserialize(&self, data: Option<&[u8]>) -> Result<SchemaAndValue> {
        Ok(SchemaAndValue::new(
            Schema::primitive(SchemaType::Bytes, true),
            data.map_or(Value::Null, |d| Value::Bytes(d.to_vec())),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_bytes_through_both_ways() {
        let converter = ByteArrayConverter;
        let out = converter
            .serialize(None, &Value::Bytes(vec![0, 1, 255]))
            .unwrap();
        assert_eq!(out, Some(vec![0, 1, 255]));
        let back = converter.deserialize(Some(&[0, 1, 255])).unwrap();
        assert_eq!(back.value, Value::Bytes(vec![0, 1, 255]));
        let schema = back.schema.unwrap();
        assert_eq!(
            (schema.kind(), schema.is_optional()),
            (SchemaType::Bytes, true)
        );
    }

    #[test]
    fn null_stays_null() {
        let converter = ByteArrayConverter;
        assert_eq!(converter.serialize(None, &Value::Null).unwrap(), None);
        assert_eq!(converter.deserialize(None).unwrap().value, Value::Null);
    }

    #[test]
    fn rejects_other_schemas_and_values() {
        let converter = ByteArrayConverter;
        let string_schema = Schema::primitive(SchemaType::String, false).unwrap();
        let err = converter
            .serialize(Some(&string_schema), &Value::String("x".into()))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid schema type for ByteArrayConverter: STRING"
        );
        let err = converter.serialize(None, &Value::Int32(1)).unwrap_err();
        assert_eq!(
            err.message(),
            "ByteArrayConverter is not compatible with objects of type class java.lang.Integer"
        );
    }
}
