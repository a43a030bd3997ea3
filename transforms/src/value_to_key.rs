//! `ValueToKey`: replaces the record key with a struct (or map) of chosen value fields, e.g.
//! to key a topic by a primary key column so compaction and partitioning follow it.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{
    ConnectError, ConnectRecord, Result, Schema, SchemaBuilder, Struct, Transformation, Value,
};

use crate::requirements::{require_map, require_struct};
use crate::schema_cache::PlanCache;
use crate::schemaless;
use crate::struct_plan::{PutCheck, PutChecks};
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.ValueToKey";

const FIELDS: &str = "fields";
const PURPOSE: &str = "copying fields from value to key";

/// Builds the key from value fields.
#[derive(Debug)]
pub struct ValueToKey {
    fields: Vec<String>,
    replace_null_with_default: bool,
    plans: PlanCache<KeyPlan>,
}

/// What building keys from values of one schema takes, worked out once per value schema.
#[derive(Debug)]
struct KeyPlan {
    key_schema: Schema,
    /// Per key field, the position of the value field it is copied from.
    sources: Vec<usize>,
    /// Per key field (in order), what Kafka's `key.put` can reject: the key field has the
    /// value field's schema, so only a null in a required field.
    checks: PutChecks,
}

impl KeyPlan {
    fn new(fields: &[String], value_schema: &Schema) -> Result<Self> {
        let key_schema = ValueToKey::key_schema(fields, value_schema)?;
        let mut sources = Vec::with_capacity(fields.len());
        let mut checks = PutChecks::default();
        for (index, name) in fields.iter().enumerate() {
            let field = value_schema
                .field(name)
                .ok_or_else(|| ConnectError::data(format!("Field does not exist: {name}")))?;
            let key_field = key_schema.fields().get(index).unwrap_or(field);
            checks.push(index, PutCheck::moved(field.schema(), key_field.schema()));
            sources.push(field.index());
        }
        Ok(Self {
            key_schema,
            sources,
            checks,
        })
    }
}

impl ValueToKey {
    /// The settings, as Kafka's ValueToKey declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    FIELDS,
                    ConfigType::List,
                    Importance::High,
                    "Names of the value fields that form the new key, in key field order.",
                )
                .with_validator(Validator::NonEmptyList),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation. A field listed twice appears once in the key, as in
    /// Kafka 4.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let mut fields: Vec<String> = Vec::new();
        for field in config.list(FIELDS).unwrap_or_default() {
            if !fields.contains(field) {
                fields.push(field.clone());
            }
        }
        Ok(Self {
            fields,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            plans: PlanCache::default(),
        })
    }

    fn key_schema(fields: &[String], value_schema: &Schema) -> Result<Schema> {
        let mut builder = SchemaBuilder::structure();
        for name in fields {
            let field = value_schema
                .field(name)
                .ok_or_else(|| ConnectError::data(format!("Field does not exist: {name}")))?;
            builder = builder.field(name, field.schema().clone());
        }
        builder.build()
    }
}

impl Transformation for ValueToKey {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(self.apply_in_place(&mut record)?.then_some(record))
    }

    fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        if record.value_schema.is_none() {
            let entries = require_map(&record.value, PURPOSE)?;
            let key = self
                .fields
                .iter()
                .map(|f| {
                    (
                        Value::String(f.clone()),
                        schemaless::get_or_null(entries, f),
                    )
                })
                .collect();
            record.key_schema = None;
            record.key = Value::Map(key);
            return Ok(true);
        }
        let value = require_struct(&record.value, PURPOSE)?;
        let fields = &self.fields;
        let plan = self
            .plans
            .get_or_build(value.schema(), |s| KeyPlan::new(fields, s))?;
        // The value stays in the record, so the key gets copies of its fields.
        let mut key = Vec::with_capacity(plan.sources.len());
        for &source in &plan.sources {
            let (Some(field), Some(found)) = (
                value.schema().fields().get(source),
                value.values().get(source),
            ) else {
                return Err(ConnectError::data(format!(
                    "Field index {source} is out of range"
                )));
            };
            let found = match (found, field.schema().default_value()) {
                (Value::Null, Some(default)) if self.replace_null_with_default => default,
                _ => found,
            };
            key.push(found.clone());
        }
        plan.checks.run(&plan.key_schema, &key)?;
        let key_schema = plan.key_schema.clone();
        record.key = Value::Struct(Struct::from_values_unchecked(key_schema.clone(), key));
        record.key_schema = Some(key_schema);
        Ok(true)
    }
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Replaces the record key with a struct or map of fields copied from the value.",
        ValueToKey::config_def,
        |props| Ok(Box::new(ValueToKey::new(props)?)),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    fn record(id: Value) -> ConnectRecord {
        let schema = SchemaBuilder::structure()
            .field("id", SchemaBuilder::int64().build().expect("id"))
            .field(
                "n",
                SchemaBuilder::int32()
                    .optional()
                    .default_value(Value::Int32(9))
                    .build()
                    .expect("n"),
            )
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(schema.clone(), vec![id, Value::Null]);
        ConnectRecord::source("t", Some(schema), Value::Struct(value))
    }

    #[test]
    fn keys_copy_value_fields_with_defaults_and_share_one_schema() {
        let mut smt = ValueToKey::new(&properties(&[("fields", "n,id")])).expect("config");
        let first = smt
            .apply(record(Value::Int64(4)))
            .expect("apply")
            .expect("kept");
        let second = smt
            .apply(record(Value::Int64(5)))
            .expect("apply")
            .expect("kept");
        let key = first.key.as_struct().expect("struct key");
        assert_eq!(key.values(), [Value::Int32(9), Value::Int64(4)]);
        assert!(
            key.schema()
                .ptr_eq(first.key_schema.as_ref().expect("key schema"))
        );
        assert!(
            first
                .key_schema
                .expect("key schema")
                .ptr_eq(&second.key_schema.expect("key schema"))
        );
        assert_eq!(
            first.value.as_struct().expect("value").values(),
            [Value::Int64(4), Value::Null]
        );
    }

    #[test]
    fn a_required_field_left_null_fails_as_kafka_put_does() {
        let mut smt = ValueToKey::new(&properties(&[("fields", "id")])).expect("config");
        let err = smt.apply(record(Value::Null)).expect_err("id is required");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"id\", schema type: INT64"
        );
    }
}
