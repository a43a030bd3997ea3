//! `Cast$Key` / `Cast$Value`: casts fields of a struct or map, or the whole key or value, to
//! another primitive type (`spec=id:string,amount:float64` or `spec=int32`), e.g. to narrow
//! an integer or to turn numbers into strings for a sink that wants text.
//!
//! Conversions follow Java's (see [`convert`]). The derived schema of a schema'd record is
//! cached per input schema; a whole-value cast keeps the input schema's name, so casting a
//! logical type (Decimal, Timestamp) yields a schema Kafka itself would not serialize, as in
//! Kafka Connect.

mod convert;
mod java_number;

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};
use connect_core::plugin::Plugin;
use connect_core::{
    ConnectError, ConnectRecord, Result, Schema, SchemaBuilder, SchemaType, Struct, Transformation,
    Value,
};

use crate::requirements::{require_map, require_struct};
use crate::schema_cache::PlanCache;
use crate::schema_util::{copy_schema_basics, copy_struct_basics, field_value};
use crate::schemaless;
use crate::side::Side;
use crate::struct_plan::{NullDefaults, PutCheck, PutChecks};
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.Cast$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.Cast$Value";

const SPEC: &str = "spec";
const PURPOSE: &str = "cast types";
/// The types Cast can produce, as Kafka lists them in its messages.
const OUTPUT_TYPES: [SchemaType; 8] = [
    SchemaType::Int8,
    SchemaType::Int16,
    SchemaType::Int32,
    SchemaType::Int64,
    SchemaType::Float32,
    SchemaType::Float64,
    SchemaType::Boolean,
    SchemaType::String,
];

/// What a `spec` asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
enum CastSpec {
    /// `spec=int32`: the whole key or value.
    WholeValue(SchemaType),
    /// `spec=a:int32,b:string`: top-level fields (the last mapping of a field wins).
    Fields(BTreeMap<String, SchemaType>),
}

/// Casts fields, or the whole key or value, to other primitive types.
#[derive(Debug)]
pub struct Cast {
    side: Side,
    spec: CastSpec,
    replace_null_with_default: bool,
    /// Per record schema, the plan: a stream's records share one schema object, so most
    /// records find it with one pointer comparison.
    plans: PlanCache<Plan>,
}

/// What casting one input schema takes, worked out once per schema.
#[derive(Debug)]
struct Plan {
    output: Schema,
    /// The positions of the fields to cast, in field order, with their target types
    /// (field casts only).
    casts: Vec<(usize, SchemaType)>,
    defaults: NullDefaults,
    /// What Kafka's `put` of each output value can reject (field casts only): uncast
    /// fields keep their schema, so only a null in a required field; cast fields get the
    /// full check.
    checks: PutChecks,
}

impl Plan {
    fn new(spec: &CastSpec, schema: &Schema, replace_null_with_default: bool) -> Result<Self> {
        let output = derive_schema(spec, schema)?;
        let (casts, checks) = match spec {
            CastSpec::Fields(casts) => {
                let mut checks = PutChecks::default();
                for (field, out) in schema.fields().iter().zip(output.fields()) {
                    checks.push(field.index(), PutCheck::moved(field.schema(), out.schema()));
                }
                let casts = schema
                    .fields()
                    .iter()
                    .filter_map(|f| Some((f.index(), *casts.get(f.name())?)))
                    .collect();
                (casts, checks)
            }
            CastSpec::WholeValue(_) => (Vec::new(), PutChecks::default()),
        };
        Ok(Self {
            defaults: NullDefaults::of(schema, replace_null_with_default, |_| true),
            output,
            casts,
            checks,
        })
    }
}

impl Cast {
    /// The settings, as Kafka's Cast declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    SPEC,
                    ConfigType::List,
                    Importance::High,
                    "List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.",
                )
                .with_validator(Validator::Custom {
                    description: "list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>".to_string(),
                    check: Arc::new(|_, value| match value {
                        ConfigValue::List(items) => parse_spec(items).map(|_| ()),
                        _ => Ok(()),
                    }),
                }),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let spec = parse_spec(config.list(SPEC).unwrap_or_default())?;
        Ok(Self {
            side,
            spec,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            plans: PlanCache::default(),
        })
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        let casts = match &self.spec {
            CastSpec::WholeValue(target) => return convert::cast_value(None, &value, *target),
            CastSpec::Fields(casts) => casts,
        };
        let original = require_map(&value, PURPOSE)?;
        let mut entries = original.to_vec();
        for (field, target) in casts {
            let current = schemaless::get_or_null(original, field);
            schemaless::put(
                &mut entries,
                field,
                convert::cast_value(None, &current, *target)?,
            );
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(&mut self, schema: &Schema, value: Value) -> Result<(Schema, Value)> {
        let (spec, replace) = (&self.spec, self.replace_null_with_default);
        let plan = self
            .plans
            .get_or_build(schema, |s| Plan::new(spec, s, replace))?;
        let casts = match &self.spec {
            CastSpec::WholeValue(target) => {
                let cast = convert::cast_value(Some(schema), &value, *target)?;
                return Ok((plan.output.clone(), cast));
            }
            CastSpec::Fields(casts) => casts,
        };
        let original = match value {
            Value::Struct(original) => original,
            other => return Err(not_a_struct(&other)),
        };
        if original.schema() != schema {
            let cast = cast_fields_by_name(
                original,
                &plan.output,
                casts,
                self.replace_null_with_default,
            )?;
            return Ok((plan.output.clone(), Value::Struct(cast)));
        }
        // The usual case: the struct is of the record's schema (usually the very same
        // object, a pointer comparison), so fields line up with the plan and values move
        // over instead of being copied.
        let (input, mut values) = original.into_parts();
        plan.defaults.fill(&input, &mut values);
        for &(index, target) in &plan.casts {
            let (Some(slot), Some(field)) = (values.get_mut(index), input.fields().get(index))
            else {
                continue;
            };
            match convert::cast_value(Some(field.schema()), slot, target) {
                Ok(cast) => *slot = cast,
                Err(e) => {
                    // Kafka casts and puts field by field: the fields before this one were
                    // put (and checked) before its cast failed.
                    plan.checks
                        .run_before(&plan.output, index, |at| values.get(at))?;
                    return Err(e);
                }
            }
        }
        // Kafka's `Struct.put` of every value (the first failing field in order is reported).
        plan.checks.run(&plan.output, &values)?;
        let output = plan.output.clone();
        Ok((
            output.clone(),
            Value::Struct(Struct::from_values_unchecked(output, values)),
        ))
    }
}

/// Kafka's loop for a struct whose schema is not the record's: each field of the struct's
/// own schema is put by name into the output schema.
fn cast_fields_by_name(
    original: Struct,
    output: &Schema,
    casts: &BTreeMap<String, SchemaType>,
    replace_null_with_default: bool,
) -> Result<Struct> {
    let mut out = Struct::new(output.clone())?;
    for (index, field) in original.schema().fields().iter().enumerate() {
        let current = field_value(&original, field.name(), replace_null_with_default)?;
        let cast = match casts.get(field.name()) {
            Some(target) => convert::cast_value(Some(field.schema()), &current, *target)?,
            None => current,
        };
        put_field(&mut out, index, field.name(), cast)?;
    }
    Ok(out)
}

/// Kafka's "Only Struct objects supported" error for a schema'd value that is not a struct.
fn not_a_struct(value: &Value) -> ConnectError {
    match require_struct(value, PURPOSE) {
        Err(e) => e,
        Ok(_) => ConnectError::data("Expected a struct"),
    }
}

/// `Struct.put(name, value)` (validating the value), by position when the derived schema
/// has the field at the same place, as it does for every struct of the input schema.
pub(crate) fn put_field(out: &mut Struct, index: usize, name: &str, value: Value) -> Result<()> {
    if out
        .schema()
        .fields()
        .get(index)
        .is_some_and(|f| f.name() == name)
    {
        out.put_at(index, value)?;
    } else {
        out.put(name, value)?;
    }
    Ok(())
}

impl Transformation for Cast {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(self.apply_in_place(&mut record)?.then_some(record))
    }

    fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        if self.side.value(&*record).is_null() {
            return Ok(true);
        }
        let (schema, value) = self.side.take(record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(value)?),
            Some(schema) => {
                let (schema, value) = self.apply_with_schema(&schema, value)?;
                (Some(schema), value)
            }
        };
        self.side.set(record, schema, value);
        Ok(true)
    }
}

/// Kafka's `Cast.getOrBuildSchema`: the cast fields get plain schemas of their new type
/// (keeping optionality, with the default cast too); everything else is copied.
fn derive_schema(spec: &CastSpec, schema: &Schema) -> Result<Schema> {
    let mut builder = match spec {
        CastSpec::WholeValue(target) => copy_schema_basics(schema, *target),
        CastSpec::Fields(casts) => {
            let mut builder = copy_struct_basics(schema);
            for field in schema.struct_fields()? {
                let field_schema = match casts.get(field.name()) {
                    Some(target) => {
                        let original = field.schema();
                        let mut cast =
                            SchemaBuilder::new(*target).set_optional(original.is_optional());
                        if let Some(default) = original.default_value() {
                            cast = cast.default_value(convert::cast_value(
                                Some(original),
                                default,
                                *target,
                            )?);
                        }
                        cast.build()?
                    }
                    None => field.schema().clone(),
                };
                builder = builder.field(field.name(), field_schema);
            }
            builder
        }
    };
    if schema.is_optional() {
        builder = builder.optional();
    }
    if let Some(default) = schema.default_value() {
        let target = builder.kind();
        builder = builder.default_value(convert::cast_value(Some(schema), default, target)?);
    }
    builder.build()
}

/// Kafka's `Cast.parseFieldTypes`, including its errors: Java's `String.split(":")` (which
/// drops trailing empty parts), upper-cased `Schema.Type` names, and the messages naming the
/// `renames` setting (Kafka reuses ReplaceField's wording).
fn parse_spec(mappings: &[String]) -> Result<CastSpec> {
    if mappings.is_empty() {
        return Err(ConnectError::config(
            "Must specify at least one field to cast.",
        ));
    }
    let mut whole_value = None;
    let mut fields = BTreeMap::new();
    for mapping in mappings {
        let parts = java_split_colon(mapping);
        match parts.as_slice() {
            [single] => whole_value = Some(valid_output(parse_type(single)?)?),
            [field, kind] => {
                fields.insert(field.trim().to_string(), valid_output(parse_type(kind)?)?);
            }
            [] => {
                return Err(ConnectError::runtime(
                    "java.lang.ArrayIndexOutOfBoundsException",
                    "Index 1 out of bounds for length 0",
                ));
            }
            _ => {
                return Err(ConnectError::invalid_config_value(
                    "renames",
                    &format!("[{}]", mappings.join(", ")),
                    format_args!("Invalid rename mapping: {mapping}"),
                ));
            }
        }
    }
    match whole_value {
        Some(_) if mappings.len() > 1 => Err(ConnectError::config(
            "Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec",
        )),
        Some(target) => Ok(CastSpec::WholeValue(target)),
        None => Ok(CastSpec::Fields(fields)),
    }
}

/// Java's `"...".split(":")`: no separator gives the whole text, and trailing empty parts
/// are dropped (`"a:"` is `["a"]`, `":"` is `[]`).
fn java_split_colon(text: &str) -> Vec<&str> {
    if !text.contains(':') {
        return vec![text];
    }
    let mut parts: Vec<&str> = text.split(':').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

/// `Schema.Type.valueOf(name.trim().toUpperCase(Locale.ROOT))`, failing with the
/// `ConfigException` Kafka wraps Java's `IllegalArgumentException` in.
fn parse_type(name: &str) -> Result<SchemaType> {
    let name = name.trim();
    let upper = name.to_uppercase();
    SchemaType::ALL
        .into_iter()
        .find(|t| t.name() == upper)
        .ok_or_else(|| {
            ConnectError::config(format!(
                "Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.{upper} for configuration Invalid type found in casting spec: {name}"
            ))
        })
}

fn valid_output(target: SchemaType) -> Result<SchemaType> {
    if OUTPUT_TYPES.contains(&target) {
        return Ok(target);
    }
    let names: Vec<&str> = OUTPUT_TYPES.iter().map(|t| t.name()).collect();
    Err(ConnectError::config(format!(
        "Cast transformation does not support casting to {target}; supported types are [{}]",
        names.join(", ")
    )))
}

/// The registry entries of both variants.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![
        crate::transformation_plugin(
            KEY_CLASS,
            "Casts fields of the record key, or the whole key, to another primitive type.",
            Cast::config_def,
            |props| Ok(Box::new(Cast::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Casts fields of the record value, or the whole value, to another primitive type.",
            Cast::config_def,
            |props| Ok(Box::new(Cast::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests;
