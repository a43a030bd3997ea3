//! `ReplaceField$Key` / `ReplaceField$Value`: keeps, drops and renames top-level fields of a
//! struct or map, e.g. to strip columns a sink must not store or to match its naming.
//!
//! `exclude` wins over `include`; an empty `include` keeps everything not excluded; renames
//! apply to the fields that remain. Kafka 4 removed the old `whitelist`/`blacklist` names,
//! so they are ignored here too. Tombstones pass through.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Schema, Struct, Transformation, Value};

use crate::requirements::{into_map, into_struct};
use crate::schema_cache::PlanCache;
use crate::schema_util::copy_struct_basics;
use crate::schemaless;
use crate::side::Side;
use crate::struct_plan::{NullDefaults, PutCheck, PutChecks};
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.ReplaceField$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.ReplaceField$Value";

const EXCLUDE: &str = "exclude";
const INCLUDE: &str = "include";
const RENAMES: &str = "renames";
const PURPOSE: &str = "field replacement";

/// Which fields survive and under which names.
#[derive(Debug)]
struct FieldSelection {
    exclude: HashSet<String>,
    include: HashSet<String>,
    renames: HashMap<String, String>,
    reverse_renames: HashMap<String, String>,
}

impl FieldSelection {
    fn keeps(&self, name: &str) -> bool {
        !self.exclude.contains(name) && (self.include.is_empty() || self.include.contains(name))
    }

    fn renamed<'a>(&'a self, name: &'a str) -> &'a str {
        self.renames.get(name).map_or(name, String::as_str)
    }

    fn original<'a>(&'a self, name: &'a str) -> &'a str {
        self.reverse_renames.get(name).map_or(name, String::as_str)
    }

    fn derive_schema(&self, schema: &Schema) -> Result<Schema> {
        let mut builder = copy_struct_basics(schema);
        for field in schema.fields() {
            if self.keeps(field.name()) {
                builder = builder.field(self.renamed(field.name()), field.schema().clone());
            }
        }
        builder.build()
    }
}

/// Parses `old:new` pairs as Kafka does (Java's `split(":")`, which drops trailing empty
/// parts, must yield exactly two parts).
fn parse_renames(mappings: &[String]) -> std::result::Result<Vec<(String, String)>, String> {
    mappings
        .iter()
        .map(|mapping| {
            let mut parts: Vec<&str> = mapping.split(':').collect();
            while parts.len() > 1 && parts.last().is_some_and(|p| p.is_empty()) {
                parts.pop();
            }
            match parts.as_slice() {
                [from, to] => Ok((from.to_string(), to.to_string())),
                _ => Err(format!("Invalid rename mapping: {mapping}")),
            }
        })
        .collect()
}

/// Filters and renames the fields of the key or value.
#[derive(Debug)]
pub struct ReplaceField {
    side: Side,
    selection: FieldSelection,
    replace_null_with_default: bool,
    plans: PlanCache<ReplacePlan>,
}

/// What replacing the fields of structs of one input schema takes, worked out once per
/// schema: where each output field's value comes from, so records move values by position.
#[derive(Debug)]
struct ReplacePlan {
    output: Schema,
    /// Per output position, the input position of its value: the field its name reverse
    /// renames to (Kafka's `value.get(reverseRenamed(name))`), usually the field it was
    /// derived from.
    sources: Vec<usize>,
    /// The first output field whose reverse-renamed name is no input field: Kafka's `get`
    /// fails there for every record, after putting the fields before it.
    missing: Option<(usize, String)>,
    /// How the output values are picked out of the input values.
    selection: Selection,
    defaults: NullDefaults,
    /// What Kafka's `put` of each output value can reject.
    checks: PutChecks,
}

/// How a [`ReplacePlan`] picks the output values out of the input values.
#[derive(Debug)]
enum Selection {
    /// Every input value, in order (renames only): the values stay where they are.
    All,
    /// The input values whose flag is set, in order (fields excluded or not included): the
    /// others are dropped and the rest close up, in place.
    Subsequence(Vec<bool>),
    /// Anything else (a name that reverse-renames to a field before another's): rare enough
    /// to copy, and a value may be read twice.
    Gather,
}

impl ReplacePlan {
    fn new(
        selection: &FieldSelection,
        input: &Schema,
        replace_null_with_default: bool,
    ) -> Result<Self> {
        let output = selection.derive_schema(input)?;
        let mut sources = Vec::with_capacity(output.fields().len());
        let mut missing = None;
        let mut checks = PutChecks::default();
        for field in output.fields() {
            let from = selection.original(field.name());
            match input.field(from) {
                Some(source) => {
                    checks.push(
                        field.index(),
                        PutCheck::moved(source.schema(), field.schema()),
                    );
                    sources.push(source.index());
                }
                None => {
                    missing = Some((field.index(), from.to_string()));
                    break;
                }
            }
        }
        let selection = if sources.windows(2).any(|w| w[0] >= w[1]) {
            Selection::Gather
        } else if sources.len() == input.fields().len() {
            // Increasing and as many as the input fields: every field, in place.
            Selection::All
        } else {
            let mut keep = vec![false; input.fields().len()];
            for &source in &sources {
                keep[source] = true;
            }
            Selection::Subsequence(keep)
        };
        Ok(Self {
            defaults: NullDefaults::of(input, replace_null_with_default, |i| sources.contains(&i)),
            output,
            sources,
            missing,
            selection,
            checks,
        })
    }

    /// The output values, taken from the input values (defaults already filled in).
    fn select(&self, mut values: Vec<Value>) -> Vec<Value> {
        match &self.selection {
            Selection::All => values,
            Selection::Subsequence(keep) => {
                let mut keep = keep.iter();
                values.retain(|_| keep.next().copied().unwrap_or(false));
                values
            }
            Selection::Gather => self
                .sources
                .iter()
                .map(|&source| values.get(source).cloned().unwrap_or_default())
                .collect(),
        }
    }
}

impl ReplaceField {
    /// The settings, as Kafka's ReplaceField declares them.
    pub fn config_def() -> ConfigDef {
        let list = |name: &str, doc: &str| {
            ConfigKey::new(name, ConfigType::List, Importance::Medium, doc)
                .with_default(ConfigValue::List(Vec::new()))
        };
        ConfigDef::new()
            .define(list(
                EXCLUDE,
                "Fields to drop. Takes precedence over include.",
            ))
            .define(list(
                INCLUDE,
                "Fields to keep; when set, every other field is dropped.",
            ))
            .define(
                list(
                    RENAMES,
                    "Field renames as old:new pairs, e.g. foo:bar,abc:xyz.",
                )
                .with_validator(Validator::Custom {
                    description: "list of colon-delimited pairs, e.g. foo:bar,abc:xyz".into(),
                    check: Arc::new(|name, value| match value {
                        ConfigValue::List(items) => {
                            parse_renames(items).map(|_| ()).map_err(|reason| {
                                ConnectError::invalid_config_value(name, &value.to_string(), reason)
                            })
                        }
                        _ => Ok(()),
                    }),
                }),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let set = |key: &str| -> HashSet<String> {
            config
                .list(key)
                .unwrap_or_default()
                .iter()
                .cloned()
                .collect()
        };
        let renames = parse_renames(config.list(RENAMES).unwrap_or_default())
            .map_err(ConnectError::config)?;
        Ok(Self {
            side,
            selection: FieldSelection {
                exclude: set(EXCLUDE),
                include: set(INCLUDE),
                reverse_renames: renames
                    .iter()
                    .map(|(a, b)| (b.clone(), a.clone()))
                    .collect(),
                renames: renames.into_iter().collect(),
            },
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            plans: PlanCache::default(),
        })
    }

    fn apply_schemaless(&self, value: Value) -> Result<Value> {
        let entries = into_map(value, PURPOSE)?;
        let mut updated = Vec::with_capacity(entries.len());
        for (key, field) in entries {
            let Some(name) = key.as_str() else {
                return Err(crate::requirements::class_cast(&key, "java.lang.String"));
            };
            if self.selection.keeps(name) {
                schemaless::put(&mut updated, self.selection.renamed(name), field);
            }
        }
        Ok(Value::Map(updated))
    }

    fn apply_with_schema(&mut self, value: Value) -> Result<(Schema, Value)> {
        let original = into_struct(value, PURPOSE)?;
        let selection = &self.selection;
        let replace = self.replace_null_with_default;
        let plan = self.plans.get_or_build(original.schema(), |s| {
            ReplacePlan::new(selection, s, replace)
        })?;
        let (input, mut values) = original.into_parts();
        plan.defaults.fill(&input, &mut values);
        if let Some((position, name)) = &plan.missing {
            // Kafka puts the fields before the missing one, then fails to get it.
            plan.checks.run_before(&plan.output, *position, |at| {
                plan.sources.get(at).and_then(|&source| values.get(source))
            })?;
            return Err(ConnectError::data(format!(
                "{name} is not a valid field name"
            )));
        }
        let values = plan.select(values);
        plan.checks.run(&plan.output, &values)?;
        let updated = Struct::from_values_unchecked(plan.output.clone(), values);
        Ok((plan.output.clone(), Value::Struct(updated)))
    }
}

impl Transformation for ReplaceField {
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
            Some(_) => {
                let (schema, value) = self.apply_with_schema(value)?;
                (Some(schema), value)
            }
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
            "Keeps, drops or renames fields of the record key.",
            ReplaceField::config_def,
            |props| Ok(Box::new(ReplaceField::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Keeps, drops or renames fields of the record value.",
            ReplaceField::config_def,
            |props| Ok(Box::new(ReplaceField::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;
    use connect_core::config::properties;

    #[test]
    fn rename_mappings_follow_java_split() {
        let ok = |items: &[&str]| {
            parse_renames(&items.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(ok(&["a:b"]), Ok(vec![("a".into(), "b".into())]));
        assert_eq!(ok(&["a:b:"]), Ok(vec![("a".into(), "b".into())]));
        assert_eq!(ok(&[":b"]), Ok(vec![("".into(), "b".into())]));
        assert!(ok(&["a:"]).is_err());
        assert!(ok(&["a:b:c"]).is_err());
        let err = ReplaceField::new(Side::Value, &properties(&[("renames", "x, a:b")]))
            .expect_err("bad mapping");
        assert_eq!(
            err.message(),
            "Invalid value [x, a:b] for configuration renames: Invalid rename mapping: x"
        );
    }

    #[test]
    fn schemaless_maps_are_filtered_and_renamed() {
        let mut smt = ReplaceField::new(
            Side::Value,
            &properties(&[("exclude", "b"), ("renames", "a:z")]),
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
            Value::Map(vec![(Value::from("z"), Value::Int32(1))])
        );
    }

    /// `a` required int32, `b` string, `c` optional string.
    fn abc(a: Value, b: Value) -> ConnectRecord {
        let schema = SchemaBuilder::structure()
            .field("a", SchemaBuilder::int32().build().expect("a"))
            .field("b", SchemaBuilder::string().build().expect("b"))
            .field("c", SchemaBuilder::string().optional().build().expect("c"))
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(schema.clone(), vec![a, b, Value::Null]);
        ConnectRecord::source("t", Some(schema), Value::Struct(value))
    }

    fn replace(config: &[(&str, &str)], record: ConnectRecord) -> Result<ConnectRecord> {
        let mut smt = ReplaceField::new(Side::Value, &properties(config))?;
        // Twice: the first record builds the plan, the second uses it.
        smt.apply(record.clone())?;
        smt.apply(record).map(|out| out.expect("kept"))
    }

    #[test]
    fn values_move_to_their_renamed_and_compacted_positions() {
        let out = replace(
            &[("exclude", "b"), ("renames", "c:z")],
            abc(Value::Int32(1), Value::from("x")),
        )
        .expect("apply");
        let value = out.value.as_struct().expect("struct");
        let names: Vec<&str> = value.schema().fields().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["a", "z"]);
        assert_eq!(value.values(), [Value::Int32(1), Value::Null]);
    }

    #[test]
    fn renames_pointing_at_other_fields_read_those_fields() {
        let text = || SchemaBuilder::string().optional().build().expect("string");
        let schema = SchemaBuilder::structure()
            .field("a", text())
            .field("b", text())
            .field("c", text())
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(
            schema.clone(),
            vec![Value::from("A"), Value::from("B"), Value::from("C")],
        );
        let record = ConnectRecord::source("t", Some(schema), Value::Struct(value));
        // Kafka fills field `a` with `value.get(reverseRenamed("a"))`, i.e. c's value.
        let out = replace(&[("exclude", "c"), ("renames", "c:a")], record.clone()).expect("apply");
        let value = out.value.as_struct().expect("struct");
        assert_eq!(value.values(), [Value::from("C"), Value::from("B")]);
        // The same with the sources in order: `a` is dropped, `b` reads a's value.
        let out = replace(&[("exclude", "a"), ("renames", "a:b")], record).expect("apply");
        let value = out.value.as_struct().expect("struct");
        assert_eq!(value.values(), [Value::from("A"), Value::from("C")]);
    }

    #[test]
    fn a_required_field_left_null_fails_as_kafka_put_does() {
        let err = replace(&[("renames", "a:n")], abc(Value::Null, Value::from("x")))
            .expect_err("required a is null");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"n\", schema type: INT32"
        );
    }

    #[test]
    fn a_field_reading_another_fields_value_is_fully_validated() {
        // `b` stays, but its name reverse-renames to `a`: Kafka puts a's value into b.
        let err = replace(
            &[("exclude", "a"), ("renames", "a:b")],
            abc(Value::Int32(1), Value::from("x")),
        )
        .expect_err("an int32 in a string field");
        assert_eq!(
            err.message(),
            "Invalid Java object for schema with type STRING: class java.lang.Integer for field: \"b\""
        );
    }

    #[test]
    fn a_name_reverse_renamed_to_no_field_fails_after_the_fields_before_it() {
        let config = [("renames", "zz:b")];
        let err = replace(&config, abc(Value::Int32(1), Value::from("x"))).expect_err("no zz");
        assert_eq!(err.message(), "zz is not a valid field name");
        let err = replace(&config, abc(Value::Null, Value::from("x"))).expect_err("a is null");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"a\", schema type: INT32"
        );
    }
}
