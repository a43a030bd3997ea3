//! `MaskField$Key` / `MaskField$Value`: replaces the values of chosen fields with a neutral
//! value of the same type (0, false, "", an empty list or map, the epoch) or with a
//! configured replacement, e.g. to keep personal data out of a sink.
//!
//! The masks are Kafka's, per Java type of the value: a Decimal masks to `BigDecimal` 0 with
//! scale 0 (which does not fit a Decimal schema of another scale: Kafka produces that value
//! too) and a Date/Time/Timestamp to the epoch. A `replacement` is converted to the field's
//! number type through `BigDecimal` (so `1.5` masks an integer as 1), used as-is for
//! strings, and refused for other types.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{
    BigDecimal, ConnectError, ConnectRecord, Result, Schema, Struct, Transformation, Value,
};

use crate::java_decimal::{self, NUMBER_FORMAT_EXCEPTION};
use crate::requirements::{into_map, into_struct};
use crate::schema_cache::PlanCache;
use crate::schemaless;
use crate::side::Side;
use crate::struct_plan::{NullDefaults, PutCheck};
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
    replacement: Option<String>,
    replace_null_with_default: bool,
    plans: PlanCache<MaskPlan>,
}

/// What masking structs of one schema takes, worked out once per schema.
#[derive(Debug)]
struct MaskPlan {
    defaults: NullDefaults,
    /// The fields to mask and/or to check, in field order: Kafka rebuilds the struct with
    /// `put`, which rejects a null in a required field (masks keep each value's Java type,
    /// so a null is all that can fail).
    steps: Vec<MaskStep>,
}

/// One field of a [`MaskPlan`].
#[derive(Debug)]
struct MaskStep {
    index: usize,
    mask: bool,
    required: bool,
}

impl MaskPlan {
    fn new(masked: &[String], schema: &Schema, replace_null_with_default: bool) -> Self {
        let steps = schema
            .fields()
            .iter()
            .map(|field| MaskStep {
                index: field.index(),
                mask: masked.iter().any(|name| name == field.name()),
                required: !field.schema().is_optional(),
            })
            .filter(|step| step.mask || step.required)
            .collect();
        Self {
            defaults: NullDefaults::of(schema, replace_null_with_default, |_| true),
            steps,
        }
    }
}

/// Kafka's `masked`: null stays null, anything else gets the neutral or custom mask.
fn mask(value: Value, replacement: Option<&str>) -> Result<Value> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    match replacement {
        None => neutral_mask(&value),
        Some(replacement) => custom_mask(&value, replacement),
    }
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
            fields,
            replacement: config.string(REPLACEMENT).map(str::to_string),
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            plans: PlanCache::default(),
        })
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        let mut entries = into_map(value, PURPOSE)?;
        for field in &self.fields {
            let masked = mask(
                schemaless::get_or_null(&entries, field),
                self.replacement.as_deref(),
            )?;
            schemaless::put(&mut entries, field, masked);
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&mut self, value: Value) -> Result<Value> {
        let original = into_struct(value, PURPOSE)?;
        let (fields, replace) = (&self.fields, self.replace_null_with_default);
        let plan = self
            .plans
            .get_or_build(original.schema(), |s| Ok(MaskPlan::new(fields, s, replace)))?;
        // Same schema in and out: the struct keeps its schema and values, masked in place.
        let (schema, mut values) = original.into_parts();
        plan.defaults.fill(&schema, &mut values);
        for step in &plan.steps {
            let (Some(slot), Some(field)) =
                (values.get_mut(step.index), schema.fields().get(step.index))
            else {
                continue;
            };
            if step.mask {
                *slot = mask(std::mem::take(slot), self.replacement.as_deref())?;
            }
            if step.required {
                PutCheck::NotNull.run(field, slot)?;
            }
        }
        Ok(Value::Struct(Struct::from_values_unchecked(schema, values)))
    }
}

impl Transformation for MaskField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(self.apply_in_place(&mut record)?.then_some(record))
    }

    fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        let (schema, value) = self.side.take(record);
        let value = match &schema {
            None => self.apply_schemaless(value)?,
            Some(_) => self.apply_with_schema(value)?,
        };
        self.side.set(record, schema, value);
        Ok(true)
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
    use connect_core::SchemaBuilder;
    use connect_core::config::properties;

    /// `id` required int64, `email` required string, `blob` optional bytes.
    fn record(id: Value, email: Value, blob: Value) -> ConnectRecord {
        let schema = SchemaBuilder::structure()
            .field("id", SchemaBuilder::int64().build().expect("id"))
            .field("email", SchemaBuilder::string().build().expect("email"))
            .field(
                "blob",
                SchemaBuilder::bytes().optional().build().expect("blob"),
            )
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(schema.clone(), vec![id, email, blob]);
        ConnectRecord::source("t", Some(schema), Value::Struct(value))
    }

    fn mask_fields(fields: &str, record: ConnectRecord) -> Result<ConnectRecord> {
        let mut smt = MaskField::new(Side::Value, &properties(&[("fields", fields)]))?;
        smt.apply(record.clone())?;
        smt.apply(record).map(|out| out.expect("kept"))
    }

    #[test]
    fn masks_in_place_and_keeps_the_schema() {
        let input = record(Value::Int64(3), Value::from("a@b"), Value::Null);
        let schema = input.value_schema.clone().expect("schema");
        let out = mask_fields("email,blob", input).expect("apply");
        let value = out.value.as_struct().expect("struct");
        assert!(value.schema().ptr_eq(&schema));
        assert_eq!(
            value.values(),
            [Value::Int64(3), Value::from(""), Value::Null]
        );
    }

    #[test]
    fn fields_are_masked_and_put_in_order_as_in_kafka() {
        // A required field left null fails when Kafka puts it, masked or not...
        let err = mask_fields("email", record(Value::Int64(3), Value::Null, Value::Null))
            .expect_err("email is required");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"email\", schema type: STRING"
        );
        // ...before a later field that cannot be masked...
        let err = mask_fields(
            "blob",
            record(Value::Null, Value::from("x"), Value::Bytes(vec![1])),
        )
        .expect_err("id is required");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"id\", schema type: INT64"
        );
        // ...but after an earlier field that cannot be masked.
        let input = SchemaBuilder::structure()
            .field("blob", SchemaBuilder::bytes().build().expect("blob"))
            .field("id", SchemaBuilder::int64().build().expect("id"))
            .build()
            .expect("struct");
        let value =
            Struct::from_values_unchecked(input.clone(), vec![Value::Bytes(vec![1]), Value::Null]);
        let err = mask_fields(
            "blob",
            ConnectRecord::source("t", Some(input), Value::Struct(value)),
        )
        .expect_err("bytes cannot be masked");
        assert_eq!(err.message(), "Cannot mask value of type: class [B");
    }

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
