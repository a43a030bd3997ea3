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
use crate::schema_cache::SchemaCache;
use crate::schema_util::{copy_struct_basics, into_field_values};
use crate::schemaless;
use crate::side::Side;
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
    schemas: SchemaCache,
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
            schemas: SchemaCache::default(),
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
        let schema = self
            .schemas
            .get_or_derive(original.schema(), |s| selection.derive_schema(s))?;
        let source = original.schema().clone();
        let mut values = into_field_values(original, self.replace_null_with_default);
        let mut updated = Struct::new(schema.clone())?;
        for field in schema.fields() {
            let from = self.selection.original(field.name());
            let index = source
                .field(from)
                .map(|f| f.index())
                .ok_or_else(|| ConnectError::data(format!("{from} is not a valid field name")))?;
            // Kafka validates each value as it puts it into the new struct.
            updated.put_at(field.index(), std::mem::take(&mut values[index]))?;
        }
        Ok((schema, Value::Struct(updated)))
    }
}

impl Transformation for ReplaceField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        if self.side.value(&record).is_null() {
            return Ok(Some(record));
        }
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(value)?),
            Some(_) => {
                let (schema, value) = self.apply_with_schema(value)?;
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
}
