//! `SetSchemaMetadata$Key` / `SetSchemaMetadata$Value`: sets the name and/or version of a
//! struct schema, e.g. so a schema registry subject or a sink's table mapping sees the name
//! it expects. Struct values are re-attached to the renamed schema.
//!
//! Like Kafka 4, only struct schemas are accepted: renaming a logical type's schema would
//! silently turn its values into plain bytes or numbers.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Schema, Struct, Transformation, Value};

use crate::requirements::require_schema;
use crate::schema_cache::SchemaCache;
use crate::schema_util::into_field_values;
use crate::side::Side;
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value";

const SCHEMA_NAME: &str = "schema.name";
const SCHEMA_VERSION: &str = "schema.version";
const PURPOSE: &str = "updating schema metadata";

/// Renames and/or re-versions the key or value schema.
#[derive(Debug)]
pub struct SetSchemaMetadata {
    side: Side,
    name: Option<String>,
    version: Option<i32>,
    replace_null_with_default: bool,
    schemas: SchemaCache,
}

impl SetSchemaMetadata {
    /// The settings, as Kafka's SetSchemaMetadata declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    SCHEMA_NAME,
                    ConfigType::String,
                    Importance::High,
                    "The schema name to set.",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    SCHEMA_VERSION,
                    ConfigType::Int,
                    Importance::High,
                    "The schema version to set.",
                )
                .with_null_default(),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let name = config.string(SCHEMA_NAME).map(str::to_string);
        let version = config.int(SCHEMA_VERSION);
        if name.is_none() && version.is_none() {
            return Err(ConnectError::config(
                "Neither schema name nor version configured",
            ));
        }
        Ok(Self {
            side,
            name,
            version,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            schemas: SchemaCache::default(),
        })
    }

    fn derive(name: Option<&str>, version: Option<i32>, schema: &Schema) -> Result<Schema> {
        schema.struct_fields()?;
        let mut builder = schema.to_builder().default_value(Value::Null);
        if let Some(name) = name {
            builder = builder.name(name);
        }
        if let Some(version) = version {
            builder = builder.version(version);
        }
        let bare = builder.clone().build()?;
        match schema.default_value() {
            // A struct default belongs to the old schema; move it over to the renamed one.
            Some(Value::Struct(default)) => {
                let moved = Struct::from_values_unchecked(bare, default.values().to_vec());
                builder.default_value(Value::Struct(moved)).build()
            }
            Some(other) => builder.default_value(other.clone()).build(),
            None => Ok(bare),
        }
    }
}

impl Transformation for SetSchemaMetadata {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let schema = require_schema(schema.as_ref(), PURPOSE)?;
        let (name, version) = (self.name.as_deref(), self.version);
        let updated = self
            .schemas
            .get_or_derive(schema, |s| Self::derive(name, version, s))?;
        let value = match value {
            Value::Struct(original) => {
                // Same fields in the same order: the values move over as they are.
                let values = into_field_values(original, self.replace_null_with_default);
                Value::Struct(Struct::from_values_unchecked(updated.clone(), values))
            }
            other => other,
        };
        self.side.set(&mut record, Some(updated), value);
        Ok(Some(record))
    }
}

/// The registry entries of both variants.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![
        crate::transformation_plugin(
            KEY_CLASS,
            "Sets the name and/or version of the record key's struct schema.",
            SetSchemaMetadata::config_def,
            |props| Ok(Box::new(SetSchemaMetadata::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Sets the name and/or version of the record value's struct schema.",
            SetSchemaMetadata::config_def,
            |props| Ok(Box::new(SetSchemaMetadata::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;
    use connect_core::config::properties;

    #[test]
    fn only_struct_schemas_are_renamed() {
        let mut smt = SetSchemaMetadata::new(Side::Value, &properties(&[("schema.name", "n")]))
            .expect("config");
        let array = SchemaBuilder::array(SchemaBuilder::int32().build().expect("int32"))
            .build()
            .expect("array");
        let err = smt
            .apply(ConnectRecord::source(
                "t",
                Some(array),
                Value::Array(vec![]),
            ))
            .expect_err("array schema");
        assert_eq!(err.message(), "Cannot list fields on non-struct type");
        let err = smt
            .apply(ConnectRecord::source("t", None, Value::Int32(1)))
            .expect_err("schemaless");
        assert_eq!(
            err.message(),
            "Schema required for [updating schema metadata]"
        );
    }

    #[test]
    fn a_struct_default_moves_to_the_renamed_schema() {
        let bare = SchemaBuilder::structure()
            .field("a", SchemaBuilder::int32().build().expect("int32"))
            .optional()
            .build()
            .expect("struct");
        let default = Struct::new(bare.clone())
            .expect("default")
            .with("a", 1)
            .expect("a");
        let schema = bare
            .to_builder()
            .default_value(Value::Struct(default))
            .build()
            .expect("struct with default");
        let mut smt = SetSchemaMetadata::new(
            Side::Value,
            &properties(&[("schema.name", "n"), ("schema.version", "2")]),
        )
        .expect("config");
        let out = smt
            .apply(ConnectRecord::source("t", Some(schema), Value::Null))
            .expect("apply")
            .expect("kept");
        let renamed = out.value_schema.expect("schema");
        assert_eq!((renamed.name(), renamed.version()), (Some("n"), Some(2)));
        assert!(renamed.default_value().is_some());
    }
}
