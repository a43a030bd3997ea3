//! Avro schemas as the registry stores them: validated, and written in one canonical
//! text so that the same schema always gets the same id.
//!
//! The canonical text is the full schema, not Avro's Parsing Canonical Form: that form
//! drops defaults, docs, aliases and custom properties, and the registry must keep all of
//! them. Defaults decide compatibility, and Kafka Connect's AvroConverter keeps Connect
//! types in properties (`"connect.type": "int16"`, `connect.parameters`) that a consumer
//! needs back when it fetches the schema by id. Like Java's `Schema.toString()`, which
//! Confluent stores, it removes whitespace, writes a property-free `{"type": "int"}` as
//! `"int"`, and puts the standard attributes first (`type`, `name`, `namespace`, `doc`,
//! `fields`, ...); the remaining properties follow in name order, so two schemas that
//! differ only in property order or layout are one schema here.

use serde_json::{Map, Value};

use crate::RegistryError;

/// A schema accepted for registration: its canonical text and its parsed form.
#[derive(Debug, Clone)]
pub struct AvroSchema {
    canonical: String,
    parsed: apache_avro::Schema,
}

impl AvroSchema {
    /// Parses and validates `text` (a JSON-encoded Avro schema).
    ///
    /// Errors are [`RegistryError::InvalidSchema`] with the parser's reason, which is what
    /// a client shows its user.
    pub fn parse(text: &str) -> Result<AvroSchema, RegistryError> {
        if text.trim().is_empty() {
            return Err(RegistryError::InvalidSchema("Empty schema".into()));
        }
        let json: Value = serde_json::from_str(text).map_err(|err| {
            RegistryError::InvalidSchema(format!("Invalid schema: not valid JSON: {err}"))
        })?;
        let parsed = apache_avro::Schema::parse(&json)
            .map_err(|err| RegistryError::InvalidSchema(format!("Invalid Avro schema: {err}")))?;
        let mut canonical = String::with_capacity(text.len());
        write_schema(&json, &mut canonical);
        Ok(AvroSchema { canonical, parsed })
    }

    /// The text that is stored, returned to clients and compared for identity.
    pub fn canonical(&self) -> &str {
        &self.canonical
    }

    /// The parsed schema, for compatibility checks.
    pub fn parsed(&self) -> &apache_avro::Schema {
        &self.parsed
    }
}

/// Attributes written first, in this order, for each kind of schema object (Java's order).
fn leading_keys(type_name: Option<&str>) -> &'static [&'static str] {
    match type_name {
        Some("record" | "error") => &["type", "name", "namespace", "doc", "fields", "aliases"],
        Some("enum") => &[
            "type",
            "name",
            "namespace",
            "doc",
            "symbols",
            "default",
            "aliases",
        ],
        Some("fixed") => &["type", "name", "namespace", "doc", "size", "aliases"],
        Some("array") => &["type", "items"],
        Some("map") => &["type", "values"],
        _ => &["type"],
    }
}

/// The attributes of a record field written first, in Java's order.
const FIELD_LEADING_KEYS: &[&str] = &["name", "type", "doc", "default", "order", "aliases"];

/// Writes a schema (a name, a union or a schema object) canonically.
fn write_schema(schema: &Value, out: &mut String) {
    match schema {
        Value::Array(branches) => {
            out.push('[');
            for (i, branch) in branches.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_schema(branch, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let type_value = map.get("type");
            // `{"type": X}` with nothing else is X itself.
            if map.len() == 1
                && let Some(inner) = type_value
            {
                write_schema(inner, out);
                return;
            }
            let type_name = type_value.and_then(Value::as_str);
            write_object(
                map,
                leading_keys(type_name),
                out,
                |key, value, out| match key {
                    "type" | "items" | "values" => write_schema(value, out),
                    "fields" => write_fields(value, out),
                    _ => write_plain(value, out),
                },
            );
        }
        other => write_plain(other, out),
    }
}

/// Writes a record's `fields` array.
fn write_fields(fields: &Value, out: &mut String) {
    let Value::Array(fields) = fields else {
        write_plain(fields, out);
        return;
    };
    out.push('[');
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match field {
            Value::Object(map) => {
                write_object(map, FIELD_LEADING_KEYS, out, |key, value, out| {
                    if key == "type" {
                        write_schema(value, out);
                    } else {
                        write_plain(value, out);
                    }
                });
            }
            other => write_plain(other, out),
        }
    }
    out.push(']');
}

/// Writes an object: `leading` keys first (those present), then the rest by name.
fn write_object(
    map: &Map<String, Value>,
    leading: &[&str],
    out: &mut String,
    write_value: impl Fn(&str, &Value, &mut String),
) {
    out.push('{');
    let mut first = true;
    let mut entry = |key: &str, value: &Value, out: &mut String| {
        if !first {
            out.push(',');
        }
        first = false;
        write_plain(&Value::String(key.to_owned()), out);
        out.push(':');
        write_value(key, value, out);
    };
    for key in leading {
        if let Some(value) = map.get(*key) {
            entry(key, value, out);
        }
    }
    // serde_json's map iterates in key order (no `preserve_order`), which makes the
    // text independent of how the client ordered its properties.
    for (key, value) in map {
        if !leading.contains(&key.as_str()) {
            entry(key, value, out);
        }
    }
    out.push('}');
}

/// Writes any JSON value compactly.
fn write_plain(value: &Value, out: &mut String) {
    // Serializing a `Value` into a string cannot fail: keys are strings and numbers
    // are finite by construction.
    out.push_str(&value.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        AvroSchema::parse(text)
            .expect("valid schema")
            .canonical()
            .to_owned()
    }

    #[test]
    fn layout_and_attribute_order_do_not_change_the_canonical_text() {
        let a = r#"{"type": "record", "name": "User", "namespace": "com.example",
                    "fields": [{"name": "id", "type": "long"},
                               {"name": "email", "type": ["null", "string"], "default": null}]}"#;
        let b = r#"{"fields":[{"type":"long","name":"id"},{"default":null,"type":["null",{"type":"string"}],"name":"email"}],
                    "namespace":"com.example","name":"User","type":"record"}"#;
        assert_eq!(canonical(a), canonical(b));
        assert_eq!(
            canonical(a),
            r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null}]}"#
        );
    }

    #[test]
    fn custom_properties_defaults_and_docs_are_kept() {
        let text = r#"{"type":"record","name":"R","doc":"d","fields":[
            {"name":"small","type":{"type":"int","connect.type":"int16"},"default":7,"doc":"x"},
            {"name":"amount","type":{"type":"bytes","logicalType":"decimal","precision":10,"scale":2,
             "connect.name":"org.apache.kafka.connect.data.Decimal","connect.parameters":{"scale":"2"}}}]}"#;
        let c = canonical(text);
        assert!(
            c.contains(r#"{"type":"int","connect.type":"int16"}"#),
            "{c}"
        );
        assert!(c.contains(r#""default":7"#), "{c}");
        assert!(c.contains(r#""doc":"d""#), "{c}");
        assert!(c.contains(r#""connect.parameters":{"scale":"2"}"#), "{c}");
        // A default changes the schema: it must not collapse onto the one without it.
        let without_default = text.replace(r#","default":7"#, "");
        assert_ne!(canonical(&without_default), c);
    }

    #[test]
    fn primitive_names_are_schemas_too() {
        assert_eq!(canonical(r#""string""#), r#""string""#);
        assert_eq!(canonical(r#"{"type":"string"}"#), r#""string""#);
    }

    #[test]
    fn invalid_schemas_are_rejected_with_the_reason() {
        for text in [
            "",
            "{",
            r#"{"type":"record","name":"R"}"#,
            r#""nosuchtype""#,
        ] {
            match AvroSchema::parse(text) {
                Err(RegistryError::InvalidSchema(message)) => assert!(!message.is_empty()),
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }
}
