//! The checks every SMT makes on its input, with Kafka Connect's `Requirements` messages,
//! which users already know from Kafka Connect logs and dead letter queue headers.

use connect_core::{ConnectError, ConnectRecord, Result, Schema, Struct, Value};

/// The value as a struct, or Kafka's "Only Struct objects supported" error.
pub fn require_struct<'a>(value: &'a Value, purpose: &str) -> Result<&'a Struct> {
    value.as_struct().ok_or_else(|| {
        ConnectError::data(format!(
            "Only Struct objects supported for [{purpose}], found: {}",
            value.java_class_name()
        ))
    })
}

/// The value as a struct, allowing null (tombstones pass through some SMTs).
pub fn require_struct_or_null<'a>(value: &'a Value, purpose: &str) -> Result<Option<&'a Struct>> {
    if value.is_null() {
        return Ok(None);
    }
    require_struct(value, purpose).map(Some)
}

/// Takes ownership of a struct value, or fails as [`require_struct`] does; for SMTs that
/// rebuild the value and can move its fields instead of copying them.
#[inline]
pub fn into_struct(value: Value, purpose: &str) -> Result<Struct> {
    match value {
        Value::Struct(s) => Ok(s),
        other => Err(not_a_struct(&other, purpose)),
    }
}

/// The error of [`into_struct`], kept out of line: it runs once per bad record at most.
#[cold]
fn not_a_struct(value: &Value, purpose: &str) -> ConnectError {
    require_struct(value, purpose).err().unwrap_or_else(|| {
        ConnectError::data(format!("Only Struct objects supported for [{purpose}]"))
    })
}

/// Takes ownership of a schemaless map's entries, or fails as [`require_map`] does.
pub fn into_map(value: Value, purpose: &str) -> Result<Vec<(Value, Value)>> {
    match value {
        Value::Map(entries) => Ok(entries),
        other => Err(require_map(&other, purpose).err().unwrap_or_else(|| {
            ConnectError::data(format!(
                "Only Map objects supported in absence of schema for [{purpose}]"
            ))
        })),
    }
}

/// The value as a schemaless map, or Kafka's "Only Map objects supported" error.
pub fn require_map<'a>(value: &'a Value, purpose: &str) -> Result<&'a [(Value, Value)]> {
    value.as_map().ok_or_else(|| {
        ConnectError::data(format!(
            "Only Map objects supported in absence of schema for [{purpose}], found: {}",
            value.java_class_name()
        ))
    })
}

/// The value as a schemaless map, allowing null.
pub fn require_map_or_null<'a>(
    value: &'a Value,
    purpose: &str,
) -> Result<Option<&'a [(Value, Value)]>> {
    if value.is_null() {
        return Ok(None);
    }
    require_map(value, purpose).map(Some)
}

/// The schema, or Kafka's "Schema required" error.
pub fn require_schema<'a>(schema: Option<&'a Schema>, purpose: &str) -> Result<&'a Schema> {
    schema.ok_or_else(|| ConnectError::data(format!("Schema required for [{purpose}]")))
}

/// The Kafka offset of a record consumed for a sink, or Kafka's "Only SinkRecord supported"
/// error for a source record (which has no Kafka offset yet).
pub fn require_sink_record(record: &ConnectRecord, purpose: &str) -> Result<i64> {
    record.kafka_offset().ok_or_else(|| {
        ConnectError::data(format!(
            "Only SinkRecord supported for [{purpose}], found: org.apache.kafka.connect.source.SourceRecord"
        ))
    })
}

/// Java's `ClassCastException` for a value used as `target` (e.g. a non-string key of a
/// schemaless map that an SMT reads as a field name), with the JVM's message.
pub fn class_cast(value: &Value, target: &str) -> ConnectError {
    let class = value.java_class_name();
    ConnectError::runtime(
        "java.lang.ClassCastException",
        format!(
            "class {class} cannot be cast to class {target} ({class} and {target} are in module java.base of loader 'bootstrap')"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_purpose_and_the_java_class_found() {
        let err = require_struct(&Value::String("x".into()), "field insertion")
            .expect_err("a string is not a struct");
        assert_eq!(
            err.to_string(),
            "Only Struct objects supported for [field insertion], found: java.lang.String"
        );
        let err = require_map(&Value::Int32(1), "masking").expect_err("not a map");
        assert_eq!(
            err.to_string(),
            "Only Map objects supported in absence of schema for [masking], found: java.lang.Integer"
        );
        assert!(
            require_map_or_null(&Value::Null, "x")
                .expect("null ok")
                .is_none()
        );
        assert!(require_schema(None, "x").is_err());
    }
}
