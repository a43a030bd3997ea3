//! `ValueToKey`: replaces the record key with a struct (or map) of chosen value fields, e.g.
//! to key a topic by a primary key column so compaction and partitioning follow it.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{
    ConnectError, ConnectRecord, Result, Schema, SchemaBuilder, Struct, Transformation, Value,
};

use crate::requirements::{require_map, require_struct};
use crate::schema_cache::SchemaCache;
use crate::schema_util::field_value;
use crate::schemaless;
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
    schemas: SchemaCache,
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
            schemas: SchemaCache::default(),
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
            return Ok(Some(record));
        }
        let value = require_struct(&record.value, PURPOSE)?;
        let fields = &self.fields;
        let key_schema = self
            .schemas
            .get_or_derive(value.schema(), |s| Self::key_schema(fields, s))?;
        let mut key = Struct::new(key_schema.clone())?;
        for (index, name) in self.fields.iter().enumerate() {
            key.put_at(
                index,
                field_value(value, name, self.replace_null_with_default)?,
            )?;
        }
        record.key_schema = Some(key_schema);
        record.key = Value::Struct(key);
        Ok(Some(record))
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
