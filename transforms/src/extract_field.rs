//! `ExtractField$Key` / `ExtractField$Value`: replaces a struct or map with one of its
//! fields, e.g. to unwrap an envelope or key a record by a single id. With
//! `field.syntax.version=V2` the field may be a nested path (`address.city`).
//!
//! Null values pass through (as null), so tombstones keep working.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Transformation, Value};

use crate::field_path::{FIELD_SYNTAX_VERSION_CONFIG, FieldSyntaxVersion, SingleFieldPath};
use crate::requirements::{require_map_or_null, require_struct_or_null};
use crate::side::Side;
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.ExtractField$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.ExtractField$Value";

const FIELD: &str = "field";
const PURPOSE: &str = "field extraction";

/// Replaces the key or value with one of its fields.
#[derive(Debug)]
pub struct ExtractField {
    side: Side,
    field: String,
    path: SingleFieldPath,
    replace_null_with_default: bool,
}

impl ExtractField {
    /// The settings, as Kafka's ExtractField declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(ConfigKey::new(
                FIELD,
                ConfigType::String,
                Importance::Medium,
                "The field to extract (a nested path with field.syntax.version=V2).",
            ))
            .define(replace_null_with_default_key())
            .define(FieldSyntaxVersion::config_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let field = config.string(FIELD).unwrap_or_default().to_string();
        let version = FieldSyntaxVersion::from_setting(config.string(FIELD_SYNTAX_VERSION_CONFIG))?;
        Ok(Self {
            side,
            path: SingleFieldPath::parse(&field, version)?,
            field,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
        })
    }
}

impl Transformation for ExtractField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => {
                let extracted = match require_map_or_null(&value, PURPOSE)? {
                    Some(entries) => self.path.value_from_map(entries)?,
                    None => Value::Null,
                };
                (None, extracted)
            }
            Some(schema) => {
                let original = require_struct_or_null(&value, PURPOSE)?;
                let field = self.path.field_from(&schema)?.ok_or_else(|| {
                    ConnectError::invalid_argument(format!("Unknown field: {}", self.field))
                })?;
                let extracted = match original {
                    Some(s) => self
                        .path
                        .value_from_struct(s, self.replace_null_with_default)?,
                    None => Value::Null,
                };
                (Some(field.schema().clone()), extracted)
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
            "Replaces the record key with one of its fields, optionally nested.",
            ExtractField::config_def,
            |props| Ok(Box::new(ExtractField::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Replaces the record value with one of its fields, optionally nested.",
            ExtractField::config_def,
            |props| Ok(Box::new(ExtractField::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;
    use connect_core::{SchemaBuilder, Struct};

    fn nested_record() -> ConnectRecord {
        let address = SchemaBuilder::structure()
            .field("city", SchemaBuilder::string().build().expect("string"))
            .optional()
            .build()
            .expect("address");
        let schema = SchemaBuilder::structure()
            .field("id", SchemaBuilder::int64().build().expect("int64"))
            .field("address", address.clone())
            .build()
            .expect("order");
        let value = Struct::new(schema.clone())
            .expect("order")
            .with("id", 1i64)
            .expect("id")
            .with(
                "address",
                Struct::new(address)
                    .expect("address")
                    .with("city", "Paris")
                    .expect("city"),
            )
            .expect("address");
        ConnectRecord::source("t", Some(schema), Value::Struct(value))
    }

    fn v2(field: &str) -> ExtractField {
        ExtractField::new(
            Side::Value,
            &properties(&[("field", field), ("field.syntax.version", "v2")]),
        )
        .expect("config")
    }

    #[test]
    fn nested_paths_fail_like_kafka() {
        let err = v2("address.nope")
            .apply(nested_record())
            .expect_err("unknown");
        assert_eq!(err.simple_class(), "IllegalArgumentException");
        assert_eq!(err.message(), "Unknown field: address.nope");
        let err = v2("id.x").apply(nested_record()).expect_err("not a struct");
        assert_eq!(err.message(), "Cannot look up fields on non-struct type");
        let schemaless = ConnectRecord::source(
            "t",
            None,
            Value::Map(vec![(Value::from("id"), Value::Int64(1))]),
        );
        let err = v2("id.x").apply(schemaless).expect_err("not a map");
        assert_eq!(
            err.message(),
            "Only Map objects supported in absence of schema for [nested field access], found: java.lang.Long"
        );
        let out = v2("address.city")
            .apply(nested_record())
            .expect("apply")
            .expect("kept");
        assert_eq!(out.value, Value::from("Paris"));
    }

    #[test]
    fn syntax_version_is_checked_at_configuration() {
        let err = ExtractField::new(
            Side::Value,
            &properties(&[("field", "a"), ("field.syntax.version", "V3")]),
        )
        .expect_err("V3");
        assert_eq!(
            err.message(),
            "Invalid value V3 for configuration field.syntax.version: String must be one of (case insensitive): V1, V2"
        );
        let err = v2_err("`a.b");
        assert_eq!(err.simple_class(), "ConfigException");
    }

    fn v2_err(field: &str) -> ConnectError {
        ExtractField::new(
            Side::Value,
            &properties(&[("field", field), ("field.syntax.version", "V2")]),
        )
        .expect_err("invalid path")
    }
}
