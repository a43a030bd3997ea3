//! `TimestampConverter$Key` / `TimestampConverter$Value`: converts a timestamp field (or the
//! whole key or value) between formatted text, Unix epoch numbers and Connect's Date, Time
//! and Timestamp types, e.g. to turn `"2024-02-29 10:00:00"` into a Timestamp a sink can
//! index, or a Timestamp into epoch seconds.
//!
//! Patterns are Java `SimpleDateFormat` patterns in UTC ([`crate::java_date_format`]), so
//! existing Kafka Connect configs produce and accept the same text. Unlike most SMTs a
//! tombstone of a schema'd record still gets the converted schema, as in Kafka Connect.

mod translate;

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Schema, Struct, Transformation, Value};

use crate::cast::put_field;
use crate::java_date_format::{JavaDateFormat, PatternError};
use crate::requirements::{require_map, require_struct_or_null};
use crate::schema_cache::SchemaCache;
use crate::schema_util::{copy_struct_basics, field_value};
use crate::schemaless;
use crate::side::Side;
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};
use translate::{Kind, Precision, Translator};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.TimestampConverter$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.TimestampConverter$Value";

const FIELD: &str = "field";
const TARGET_TYPE: &str = "target.type";
const FORMAT: &str = "format";
const UNIX_PRECISION: &str = "unix.precision";
const PURPOSE: &str = "converting timestamp formats";

/// Converts timestamps between text, Unix numbers and the Date/Time/Timestamp types.
#[derive(Debug)]
pub struct TimestampConverter {
    side: Side,
    /// The field to convert; empty for the whole key or value.
    field: String,
    translator: Translator,
    /// The target's schema, required and optional, shared by every converted record.
    target_schemas: [Schema; 2],
    replace_null_with_default: bool,
    schemas: SchemaCache,
}

impl TimestampConverter {
    /// The settings, as Kafka's TimestampConverter declares them.
    pub fn config_def() -> ConfigDef {
        let strings = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    FIELD,
                    ConfigType::String,
                    Importance::High,
                    "The field containing the timestamp, or empty if the entire value is a timestamp",
                )
                .with_default(ConfigValue::String(String::new())),
            )
            .define(
                ConfigKey::new(
                    TARGET_TYPE,
                    ConfigType::String,
                    Importance::High,
                    "The desired timestamp representation: string, unix, Date, Time, or Timestamp",
                )
                .with_validator(Validator::OneOf(strings(&Kind::NAMES))),
            )
            .define(
                ConfigKey::new(
                    FORMAT,
                    ConfigType::String,
                    Importance::Medium,
                    "A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string or used to parse the input if the input is a string.",
                )
                .with_default(ConfigValue::String(String::new())),
            )
            .define(
                ConfigKey::new(
                    UNIX_PRECISION,
                    ConfigType::String,
                    Importance::Low,
                    "The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. Used to generate the output when type=unix or used to parse the input if the input is a Long. Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.",
                )
                .with_default(ConfigValue::String("milliseconds".to_string()))
                .with_validator(Validator::OneOf(strings(&Precision::NAMES))),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let setting = |key: &str| config.string(key).unwrap_or_default();
        let target = Kind::from_name(setting(TARGET_TYPE)).ok_or_else(|| {
            ConnectError::config(format!("Unknown timestamp type: {}", setting(TARGET_TYPE)))
        })?;
        let pattern = setting(FORMAT);
        if target == Kind::String && pattern.trim().is_empty() {
            return Err(ConnectError::config(
                "TimestampConverter requires format option to be specified when using string timestamps",
            ));
        }
        let format = if pattern.trim().is_empty() {
            None
        } else {
            Some(JavaDateFormat::new(pattern).map_err(|e: PatternError| {
                ConnectError::config(format!(
                    "Invalid value {}: {} for configuration TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: {pattern}",
                    PatternError::JAVA_CLASS,
                    e.message()
                ))
            })?)
        };
        let precision =
            Precision::from_name(setting(UNIX_PRECISION)).unwrap_or(Precision::Milliseconds);
        Ok(Self {
            side,
            field: setting(FIELD).to_string(),
            translator: Translator {
                target,
                format,
                precision,
            },
            target_schemas: [target.schema(false)?, target.schema(true)?],
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            schemas: SchemaCache::default(),
        })
    }

    fn target_schema(&self, optional: bool) -> Schema {
        self.target_schemas[usize::from(optional)].clone()
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        if value.is_null() || self.field.is_empty() {
            return self.translator.convert(&value, None);
        }
        let original = require_map(&value, PURPOSE)?;
        let mut entries = original.to_vec();
        let current = schemaless::get_or_null(original, &self.field);
        schemaless::put(
            &mut entries,
            &self.field,
            self.translator.convert(&current, None)?,
        );
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&mut self, schema: &Schema, value: Value) -> Result<(Schema, Value)> {
        if self.field.is_empty() {
            let updated = self.target_schema(schema.is_optional());
            let converted = self
                .translator
                .convert(&value, Some(Kind::of_schema(schema)?))?;
            return Ok((updated, converted));
        }
        let original = require_struct_or_null(&value, PURPOSE)?;
        let fields = FieldConversion {
            field: &self.field,
            translator: &self.translator,
            target_schemas: &self.target_schemas,
            replace_null_with_default: self.replace_null_with_default,
        };
        let updated = self
            .schemas
            .get_or_derive(schema, |s| fields.derive_schema(s))?;
        let converted = match original {
            Some(original) => Value::Struct(fields.convert_struct(original, &updated)?),
            None => Value::Null,
        };
        Ok((updated, converted))
    }
}

/// Converting one field of a struct.
struct FieldConversion<'a> {
    field: &'a str,
    translator: &'a Translator,
    target_schemas: &'a [Schema; 2],
    replace_null_with_default: bool,
}

impl FieldConversion<'_> {
    /// The input schema with the field's schema replaced by the target's (keeping its
    /// optionality) and the schema default converted too.
    fn derive_schema(&self, schema: &Schema) -> Result<Schema> {
        let mut builder = copy_struct_basics(schema);
        for field in schema.struct_fields()? {
            let field_schema = if field.name() == self.field {
                self.target_schemas[usize::from(field.schema().is_optional())].clone()
            } else {
                field.schema().clone()
            };
            builder = builder.field(field.name(), field_schema);
        }
        if schema.is_optional() {
            builder = builder.optional();
        }
        if let Some(Value::Struct(default)) = schema.default_value() {
            let bare = builder.clone().build()?;
            let converted = self.convert_struct(default, &bare)?;
            builder = builder.default_value(Value::Struct(converted));
        }
        builder.build()
    }

    /// Kafka's `applyValueWithSchema`: copies the struct into the updated schema, converting
    /// the configured field.
    fn convert_struct(&self, value: &Struct, updated: &Schema) -> Result<Struct> {
        let mut out = Struct::new(updated.clone())?;
        for (index, field) in value.schema().fields().iter().enumerate() {
            let current = field_value(value, field.name(), self.replace_null_with_default)?;
            let current = if field.name() == self.field {
                let source = Kind::of_schema(field.schema())?;
                self.translator.convert(&current, Some(source))?
            } else {
                current
            };
            put_field(&mut out, index, field.name(), current)?;
        }
        Ok(out)
    }
}

impl Transformation for TimestampConverter {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(value)?),
            Some(schema) => {
                let (schema, value) = self.apply_with_schema(&schema, value)?;
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
            "Converts a timestamp field of the record key, or the whole key, between text, Unix epoch numbers and the Date, Time and Timestamp types.",
            TimestampConverter::config_def,
            |props| Ok(Box::new(TimestampConverter::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Converts a timestamp field of the record value, or the whole value, between text, Unix epoch numbers and the Date, Time and Timestamp types.",
            TimestampConverter::config_def,
            |props| Ok(Box::new(TimestampConverter::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests;
