//! Checking values against schemas.
//!
//! Kafka Connect validates a value whenever it enters a struct and whenever a default is set;
//! bad data fails there, close to its cause, rather than deep inside a converter. Messages
//! follow Kafka Connect's wording, but name the full path of nested fields
//! (`field: "address.zip"`) so a user can find the culprit in a wide CDC record.

use crate::error::{ConnectError, Result};
use crate::logical;
use crate::schema::{Schema, SchemaType};
use crate::value::Value;

/// Where in a value a problem is, for error messages.
#[derive(Clone, Copy)]
enum Location<'a> {
    /// The whole value.
    Root,
    /// A struct field, with the path of its parents.
    Field(&'a FieldPath<'a>),
    /// An element of an array at the inner location.
    Element(&'a Location<'a>),
    /// A map key at the inner location.
    MapKey(&'a Location<'a>),
    /// A map value at the inner location.
    MapValue(&'a Location<'a>),
}

/// A dotted path to a struct field, kept as a linked list on the stack.
struct FieldPath<'a> {
    parent: Option<&'a FieldPath<'a>>,
    name: &'a str,
}

impl FieldPath<'_> {
    fn render(&self, out: &mut String) {
        if let Some(parent) = self.parent {
            parent.render(out);
            out.push('.');
        }
        out.push_str(self.name);
    }
}

impl Location<'_> {
    fn render(&self) -> String {
        match self {
            Location::Root => "value".to_string(),
            Location::Field(path) => {
                let mut name = String::new();
                path.render(&mut name);
                format!("field: \"{name}\"")
            }
            Location::Element(inner) => format!("element of array {}", inner.render()),
            Location::MapKey(inner) => format!("key of map {}", inner.render()),
            Location::MapValue(inner) => format!("value of map {}", inner.render()),
        }
    }

    fn field_path(&self) -> Option<&FieldPath<'_>> {
        match self {
            Location::Field(path) => Some(path),
            _ => None,
        }
    }
}

/// Checks `value` against `schema`: required values present, Java-equivalent types right,
/// struct schemas matching, and the contents of arrays, maps and structs, recursively.
pub fn validate_value(schema: &Schema, value: &Value) -> Result<()> {
    validate(schema, value, Location::Root)
}

/// Checks the value of the struct field `field` (errors name the field).
pub fn validate_field_value(field: &str, schema: &Schema, value: &Value) -> Result<()> {
    let path = FieldPath {
        parent: None,
        name: field,
    };
    validate(schema, value, Location::Field(&path))
}

/// Checks a schema's own default value. A struct default must carry this very schema minus
/// its default (the struct cannot refer to a schema that contains the struct).
pub(crate) fn validate_default(schema: &Schema, value: &Value) -> Result<()> {
    if let (SchemaType::Struct, Value::Struct(s)) = (schema.kind(), value) {
        let bare = schema.to_builder().default_value(Value::Null).build()?;
        if *s.schema() != bare && s.schema() != schema {
            return Err(ConnectError::data("Struct schemas do not match."));
        }
        return validate_struct_fields(s, Location::Root);
    }
    validate_value(schema, value)
}

fn expected_type_matches(schema: &Schema, value: &Value) -> bool {
    if let Some(name) = schema.name() {
        match name {
            logical::DECIMAL_NAME => return matches!(value, Value::Decimal(_)),
            logical::DATE_NAME | logical::TIME_NAME | logical::TIMESTAMP_NAME => {
                return matches!(value, Value::Timestamp(_));
            }
            _ => {}
        }
    }
    matches!(
        (schema.kind(), value),
        (SchemaType::Int8, Value::Int8(_))
            | (SchemaType::Int16, Value::Int16(_))
            | (SchemaType::Int32, Value::Int32(_))
            | (SchemaType::Int64, Value::Int64(_))
            | (SchemaType::Float32, Value::Float32(_))
            | (SchemaType::Float64, Value::Float64(_))
            | (SchemaType::Boolean, Value::Boolean(_))
            | (SchemaType::String, Value::String(_))
            | (SchemaType::Bytes, Value::Bytes(_))
            | (SchemaType::Array, Value::Array(_))
            | (SchemaType::Map, Value::Map(_))
            | (SchemaType::Struct, Value::Struct(_))
    )
}

fn validate(schema: &Schema, value: &Value, location: Location<'_>) -> Result<()> {
    if value.is_null() {
        if schema.is_optional() {
            return Ok(());
        }
        return Err(ConnectError::data(format!(
            "Invalid value: null used for required {}, schema type: {}",
            location.render(),
            schema.kind()
        )));
    }
    if !expected_type_matches(schema, value) {
        let named = schema
            .name()
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        return Err(ConnectError::data(format!(
            "Invalid Java object for schema{named} with type {}: class {} for {}",
            schema.kind(),
            value.java_class_name(),
            location.render()
        )));
    }
    match value {
        Value::Struct(s) => {
            if s.schema() != schema {
                return Err(ConnectError::data("Struct schemas do not match."));
            }
            validate_struct_fields(s, location)
        }
        Value::Array(items) => {
            let element_schema = schema.value_schema().ok_or_else(|| {
                ConnectError::data(format!(
                    "No schema defined for element of array {}",
                    location.render()
                ))
            })?;
            let element = Location::Element(&location);
            items
                .iter()
                .try_for_each(|item| validate(element_schema, item, element))
        }
        Value::Map(entries) => {
            let (key_schema, value_schema) = match (schema.key_schema(), schema.value_schema()) {
                (Some(k), Some(v)) => (k, v),
                _ => {
                    return Err(ConnectError::data(format!(
                        "No schema defined for key of map {}",
                        location.render()
                    )));
                }
            };
            let key_location = Location::MapKey(&location);
            let value_location = Location::MapValue(&location);
            entries.iter().try_for_each(|(k, v)| {
                validate(key_schema, k, key_location)?;
                validate(value_schema, v, value_location)
            })
        }
        _ => Ok(()),
    }
}

fn validate_struct_fields(s: &crate::value::Struct, location: Location<'_>) -> Result<()> {
    let parent = location.field_path();
    for (field, value) in s.schema().fields().iter().zip(s.values()) {
        let path = FieldPath {
            parent,
            name: field.name(),
        };
        validate(field.schema(), value, Location::Field(&path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::SchemaBuilder;
    use crate::value::Struct;

    fn address() -> Schema {
        SchemaBuilder::structure()
            .name("Address")
            .field(
                "street",
                Schema::primitive(SchemaType::String, false).unwrap(),
            )
            .field("zip", Schema::primitive(SchemaType::Int32, true).unwrap())
            .build()
            .unwrap()
    }

    fn person() -> Schema {
        SchemaBuilder::structure()
            .field(
                "name",
                Schema::primitive(SchemaType::String, false).unwrap(),
            )
            .field("address", address())
            .field(
                "tags",
                SchemaBuilder::array(Schema::primitive(SchemaType::String, false).unwrap())
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn nested_errors_name_the_full_field_path() {
        let addr = Struct::from_values_unchecked(address(), vec![Value::Null, Value::Null]);
        let person_value = Struct::from_values_unchecked(
            person(),
            vec!["ann".into(), Value::Struct(addr), Value::Array(vec![])],
        );
        let err = validate_value(&person(), &Value::Struct(person_value)).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"address.street\", schema type: STRING"
        );
    }

    #[test]
    fn array_elements_are_checked() {
        let schema = SchemaBuilder::array(Schema::primitive(SchemaType::String, false).unwrap())
            .build()
            .unwrap();
        let err =
            validate_value(&schema, &Value::Array(vec!["a".into(), 1i32.into()])).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid Java object for schema with type STRING: class java.lang.Integer for element of array value"
        );
    }

    #[test]
    fn logical_types_require_their_java_class() {
        let schema = logical::decimal_schema(2).build().unwrap();
        let err = validate_value(&schema, &Value::Bytes(vec![1])).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid Java object for schema \"org.apache.kafka.connect.data.Decimal\" with type BYTES: class [B for value"
        );
        assert!(validate_value(&schema, &Value::Decimal(crate::BigDecimal::new(1, 2))).is_ok());
    }

    #[test]
    fn struct_schema_must_match() {
        let other = SchemaBuilder::structure().build().unwrap();
        let value = Value::Struct(Struct::new(other).unwrap());
        let err = validate_value(&address(), &value).unwrap_err();
        assert_eq!(err.message(), "Struct schemas do not match.");
    }
}
