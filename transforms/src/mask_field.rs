//! `MaskField$Key` / `MaskField$Value`: replaces the values of chosen fields with a neutral
//! value of the same type (0, false, "", an empty list or map, the epoch) or with a
//! configured replacement, e.g. to keep personal data out of a sink.
//!
//! The masks are Kafka's, per Java type of the value: a Decimal masks to `BigDecimal` 0 with
//! scale 0 (which does not fit a Decimal schema of another scale: Kafka produces that value
//! too) and a Date/Time/Timestamp to the epoch. A `replacement` is converted to the field's
//! number type through `BigDecimal` (so `1.5` masks an integer as 1), used as-is for
//! strings, and refused for other types.

use std::collections::HashSet;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{
    BigDecimal, ConnectError, ConnectRecord, Result, Struct, Transformation, Value,
};

use crate::java_decimal::{self, NUMBER_FORMAT_EXCEPTION};
use crate::requirements::{into_map, into_struct};
use crate::schema_util::into_field_values;
use crate::schemaless;
use crate::side::Side;
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.MaskField$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.MaskField$Value";

const FIELDS: &str = "fields";
const REPLACEMENT: &str = "replacement";
const PURPOSE: &str = "mask fields";

/// The neutral value Kafka masks a value of this Java type with.
fn neutral_mask(value: &Value) -> Result<Value> {
    Ok(match value {
        Value::Boolean(_) => Value::Boolean(false),
        Value::Int8(_) => Value::Int8(0),
        Value::Int16(_) => Value::Int16(0),
        Value::Int32(_) => Value::Int32(0),
        Value::Int64(_) => Value::Int64(0),
        Value::Float32(_) => Value::Float32(0.0),
        Value::Float64(_) => Value::Float64(0.0),
        Value::Decimal(_) => Value::Decimal(BigDecimal::new(0, 0)),
        Value::Timestamp(_) => Value::Timestamp(0),
        Value::String(_) => Value::String(String::new()),
        Value::Array(_) => Value::Array(Vec::new()),
        Value::Map(_) => Value::Map(Vec::new()),
        other => {
            return Err(ConnectError::data(format!(
                "Cannot mask value of type: class {}",
                other.java_class_name()
            )));
        }
    })
}

/// The replacement text converted to the Java type of `value`, as Kafka's `Values`
/// conversions (through `BigDecimal`) do.
fn custom_mask(value: &Value, replacement: &str) -> Result<Value> {
    let number = || java_decimal::string_to_number(replacement);
    Ok(match value {
        Value::Int8(_) => Value::Int8(number()?.to_i64_wrapping() as i8),
        Value::Int16(_) => Value::Int16(number()?.to_i64_wrapping() as i16),
        Value::Int32(_) => Value::Int32(number()?.to_i32_wrapping()),
        Value::Int64(_) => Value::Int64(number()?.to_i64_wrapping()),
        Value::Float32(_) => Value::Float32(number()?.to_f64() as f32),
        Value::Float64(_) => Value::Float64(number()?.to_f64()),
        Value::String(_) => Value::String(replacement.to_string()),
        Value::Decimal(_) => Value::Decimal(java_decimal::parse(replacement).map_err(|cause| {
            ConnectError::data_caused_by(
                format!("Unable to convert {replacement} (class java.lang.String) to number"),
                NUMBER_FORMAT_EXCEPTION,
                cause,
            )
        })?),
        other => {
            return Err(ConnectError::data(format!(
                "Cannot mask value of type class {} with custom replacement.",
                other.java_class_name()
            )));
        }
    })
}

/// Masks the configured fields of the key or value.
#[derive(Debug)]
pub struct MaskField {
    side: Side,
    fields: Vec<String>,
    masked: HashSet<String>,
    replacement: Option<String>,
    replace_null_with_default: bool,
}

impl MaskField {
    /// The settings, as Kafka's MaskField declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(FIELDS, ConfigType::List, Importance::High, "Names of the fields to mask.")
                    .with_validator(Validator::NonEmptyList),
            )
            .define(
                ConfigKey::new(
                    REPLACEMENT,
                    ConfigType::String,
                    Importance::Low,
                    "A value used instead of the type's neutral mask, for numeric and string fields only; numbers are parsed from it.",
                )
                .with_null_default()
                .with_validator(Validator::NonEmptyString),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let mut fields: Vec<String> = Vec::new();
        for field in config.list(FIELDS).unwrap_or_default() {
            if !fields.contains(field) {
                fields.push(field.clone());
            }
        }
        Ok(Self {
            side,
            masked: fields.iter().cloned().collect(),
            fields,
            replacement: config.string(REPLACEMENT).map(str::to_string),
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
        })
    }

    fn mask(&self, value: Value) -> Result<Value> {
        if value.is_null() {
            return Ok(Value::Null);
        }
        match &self.replacement {
            None => neutral_mask(&value),
            Some(replacement) => custom_mask(&value, replacement),
        }
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        let mut entries = into_map(value, PURPOSE)?;
        for field in &self.fields {
            let masked = self.mask(schemaless::get_or_null(&entries, field))?;
            schemaless::put(&mut entries, field, masked);
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&self, value: Value) -> Result<Value> {
        let original = into_struct(value, PURPOSE)?;
        let schema = original.schema().clone();
        let mut values = into_field_values(original, self.replace_null_with_default);
        for (slot, field) in values.iter_mut().zip(schema.fields()) {
            if self.masked.contains(field.name()) {
                *slot = self.mask(std::mem::take(slot))?;
            }
        }
        // Kafka's masks keep each value's Java type, so they fit the field schema as far as
        // Kafka checks (a Decimal's scale is not checked, and Kafka lets it through).
        Ok(Value::Struct(Struct::from_values_unchecked(schema, values)))
    }
}

impl Transformation for MaskField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let (schema, value) = self.side.take(&mut record);
        let value = match &schema {
            None => self.apply_schemaless(value)?,
            Some(_) => self.apply_with_schema(value)?,
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
            "Replaces fields of the record key with a neutral value of their type or a configured replacement.",
            MaskField::config_def,
            |props| Ok(Box::new(MaskField::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Replaces fields of the record value with a neutral value of their type or a configured replacement.",
            MaskField::config_def,
            |props| Ok(Box::new(MaskField::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replacements_convert_through_big_decimal() {
        assert_eq!(
            custom_mask(&Value::Int32(5), "1.5").expect("int"),
            Value::Int32(1)
        );
        assert_eq!(
            custom_mask(&Value::Int8(5), "300").expect("byte"),
            Value::Int8(44)
        );
        assert_eq!(
            custom_mask(&Value::Float64(5.0), "12").expect("double"),
            Value::Float64(12.0)
        );
        assert_eq!(
            custom_mask(&Value::Decimal(BigDecimal::new(1, 2)), "99").expect("decimal"),
            Value::Decimal(BigDecimal::new(99, 0))
        );
        let err = custom_mask(&Value::Boolean(true), "x").expect_err("boolean");
        assert_eq!(
            err.message(),
            "Cannot mask value of type class java.lang.Boolean with custom replacement."
        );
        let err = custom_mask(&Value::Decimal(BigDecimal::new(1, 2)), "x").expect_err("nan");
        assert_eq!(
            err.message(),
            "Unable to convert x (class java.lang.String) to number"
        );
    }

    #[test]
    fn neutral_masks_keep_the_java_type() {
        assert_eq!(
            neutral_mask(&Value::Timestamp(5)).expect("date"),
            Value::Timestamp(0)
        );
        let err = neutral_mask(&Value::Bytes(vec![1])).expect_err("bytes");
        assert_eq!(err.message(), "Cannot mask value of type: class [B");
    }
}
