//! `HeaderFrom$Key` / `HeaderFrom$Value`: copies or moves fields of the key or value into
//! headers, e.g. to expose a routing attribute to systems that only read headers.
//!
//! The n-th field goes to the n-th header; a moved field is removed from the struct schema
//! (derived once per input schema) or from the map. Headers are appended, so an existing
//! header with the same key is kept as well.

use std::collections::HashSet;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Schema, Struct, Transformation, Value};

use crate::requirements::{require_map, require_struct};
use crate::schema_cache::SchemaCache;
use crate::schema_util::{copy_struct_basics, field_value};
use crate::schemaless;
use crate::side::Side;
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.HeaderFrom$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.HeaderFrom$Value";

const FIELDS: &str = "fields";
const HEADERS: &str = "headers";
const OPERATION: &str = "operation";

/// Whether the fields stay in the key/value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Operation {
    Copy,
    Move,
}

impl Operation {
    fn name(self) -> &'static str {
        match self {
            Operation::Copy => "copy",
            Operation::Move => "move",
        }
    }
}

/// Copies or moves fields into headers.
#[derive(Debug)]
pub struct HeaderFrom {
    side: Side,
    fields: Vec<String>,
    headers: Vec<String>,
    operation: Operation,
    replace_null_with_default: bool,
    schemas: SchemaCache,
}

impl HeaderFrom {
    /// The settings, as Kafka's HeaderFrom declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    FIELDS,
                    ConfigType::List,
                    Importance::High,
                    "Fields of the key or value to put into headers, in the order of 'headers'.",
                )
                .with_validator(Validator::NonEmptyList),
            )
            .define(
                ConfigKey::new(
                    HEADERS,
                    ConfigType::List,
                    Importance::High,
                    "Header keys, one per entry of 'fields'.",
                )
                .with_validator(Validator::NonEmptyList),
            )
            .define(
                ConfigKey::new(
                    OPERATION,
                    ConfigType::String,
                    Importance::High,
                    "'move' removes the fields from the key or value; 'copy' leaves them in place.",
                )
                .with_validator(Validator::OneOf(vec!["move".into(), "copy".into()])),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let fields = config.list(FIELDS).unwrap_or_default().to_vec();
        let headers = config.list(HEADERS).unwrap_or_default().to_vec();
        if fields.len() != headers.len() {
            return Err(ConnectError::config(format!(
                "'{FIELDS}' config must have the same number of elements as '{HEADERS}' config."
            )));
        }
        let operation = match config.string(OPERATION) {
            Some("move") => Operation::Move,
            _ => Operation::Copy,
        };
        Ok(Self {
            side,
            fields,
            headers,
            operation,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            schemas: SchemaCache::default(),
        })
    }

    fn purpose(&self) -> String {
        format!("header {}", self.operation.name())
    }

    fn without_moved(moved: &HashSet<&str>, schema: &Schema) -> Result<Schema> {
        let mut builder = copy_struct_basics(schema);
        for field in schema.fields() {
            if !moved.contains(field.name()) {
                builder = builder.field(field.name(), field.schema().clone());
            }
        }
        builder.build()
    }

    fn apply_schemaless(&self, record: &mut ConnectRecord, value: Value) -> Result<Value> {
        let entries = require_map(&value, &self.purpose())?;
        let mut updated = entries.to_vec();
        for (field, header) in self.fields.iter().zip(&self.headers) {
            let field_value = schemaless::get_or_null(entries, field);
            if self.operation == Operation::Move {
                schemaless::remove(&mut updated, field);
            }
            record.headers.add(header.clone(), None, field_value);
        }
        Ok(Value::Map(updated))
    }

    fn apply_with_schema(
        &mut self,
        record: &mut ConnectRecord,
        schema: Schema,
        value: Value,
    ) -> Result<(Schema, Value)> {
        let original = require_struct(&value, &self.purpose())?;
        let (updated_schema, updated_value) = match self.operation {
            Operation::Copy => (schema.clone(), value.clone()),
            Operation::Move => {
                let moved: HashSet<&str> = self.fields.iter().map(String::as_str).collect();
                let updated = self
                    .schemas
                    .get_or_derive(&schema, |s| Self::without_moved(&moved, s))?;
                let mut values = Vec::with_capacity(updated.fields().len());
                for field in updated.fields() {
                    values.push(field_value(
                        original,
                        field.name(),
                        self.replace_null_with_default,
                    )?);
                }
                let rebuilt = Struct::from_values_unchecked(updated.clone(), values);
                (updated, Value::Struct(rebuilt))
            }
        };
        for (field, header) in self.fields.iter().zip(&self.headers) {
            let field_value = match original.schema().field(field) {
                Some(_) => field_value(original, field, self.replace_null_with_default)?,
                None => Value::Null,
            };
            let field_schema = schema.field(field).map(|f| f.schema().clone()).ok_or_else(|| {
                ConnectError::runtime(
                    "java.lang.NullPointerException",
                    "Cannot invoke \"org.apache.kafka.connect.data.Field.schema()\" because the return value of \"org.apache.kafka.connect.data.Schema.field(String)\" is null",
                )
            })?;
            record
                .headers
                .add(header.clone(), Some(field_schema), field_value);
        }
        Ok((updated_schema, updated_value))
    }
}

impl Transformation for HeaderFrom {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(&mut record, value)?),
            Some(schema) => {
                let (schema, value) = self.apply_with_schema(&mut record, schema, value)?;
                (Some(schema), value)
            }
        };
        self.side.set(&mut record, schema, value);
        Ok(Some(record))
    }
}

/// The registry entries of both variants.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![
        crate::transformation_plugin(
            KEY_CLASS,
            "Copies or moves fields of the record key into headers.",
            HeaderFrom::config_def,
            |props| Ok(Box::new(HeaderFrom::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Copies or moves fields of the record value into headers.",
            HeaderFrom::config_def,
            |props| Ok(Box::new(HeaderFrom::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    #[test]
    fn operation_must_be_move_or_copy() {
        let err = HeaderFrom::new(
            Side::Value,
            &properties(&[("fields", "a"), ("headers", "h"), ("operation", "rename")]),
        )
        .expect_err("bad operation");
        assert_eq!(
            err.message(),
            "Invalid value rename for configuration operation: String must be one of: move, copy"
        );
    }

    #[test]
    fn schemaless_move_removes_the_field_and_appends_the_header() {
        let mut smt = HeaderFrom::new(
            Side::Value,
            &properties(&[
                ("fields", "a,zz"),
                ("headers", "h1,h2"),
                ("operation", "move"),
            ]),
        )
        .expect("config");
        let value = Value::Map(vec![
            (Value::from("a"), Value::Int32(1)),
            (Value::from("b"), Value::Int32(2)),
        ]);
        let out = smt
            .apply(ConnectRecord::source("t", None, value))
            .expect("apply")
            .expect("kept");
        assert_eq!(
            out.value,
            Value::Map(vec![(Value::from("b"), Value::Int32(2))])
        );
        let headers: Vec<_> = out
            .headers
            .iter()
            .map(|h| (h.key.as_str(), &h.value))
            .collect();
        assert_eq!(headers, [("h1", &Value::Int32(1)), ("h2", &Value::Null)]);
    }
}
