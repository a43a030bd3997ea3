//! `Flatten$Key` / `Flatten$Value`: turns nested structs (or nested maps, without a schema)
//! into one level, naming each leaf by the path of field names joined with `delimiter`
//! (`address.city`), for sinks with flat tables or column lists.
//!
//! Arrays are leaves and are kept as they are. A flattened field is optional when any struct
//! above it is, and inherits a default from the nearest default above it, as in Kafka
//! Connect. Maps inside a schema'd struct are rejected (Kafka's rule); schemaless maps are
//! flattened recursively, a later key overwriting an equal flattened name.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{
    ConnectError, ConnectRecord, Result, Schema, SchemaBuilder, SchemaType, Struct, Transformation,
    Value,
};

use crate::cast::put_field;
use crate::requirements::{require_map, require_struct};
use crate::schema_cache::SchemaCache;
use crate::schema_util::copy_struct_basics;
use crate::schemaless;
use crate::side::Side;

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.Flatten$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.Flatten$Value";

const DELIMITER: &str = "delimiter";
const PURPOSE: &str = "flattening";

/// Flattens nested structs or maps into a single level.
#[derive(Debug)]
pub struct Flatten {
    side: Side,
    delimiter: String,
    schemas: SchemaCache,
}

impl Flatten {
    /// The settings, as Kafka's Flatten declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                DELIMITER,
                ConfigType::String,
                Importance::Medium,
                "Delimiter to insert between field names from the input record when generating field names for the output record",
            )
            .with_default(ConfigValue::String(".".to_string())),
        )
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        Ok(Self {
            side,
            delimiter: config.string(DELIMITER).unwrap_or(".").to_string(),
            schemas: SchemaCache::default(),
        })
    }

    fn apply_with_schema(&mut self, schema: &Schema, value: &Value) -> Result<(Schema, Value)> {
        let original = require_struct(value, PURPOSE)?;
        let delimiter = Delimiter(&self.delimiter);
        let updated = self
            .schemas
            .get_or_derive(schema, |s| delimiter.derive_schema(s))?;
        let mut out = Struct::new(updated.clone())?;
        delimiter.flatten_struct(original, "", &mut out, &mut 0)?;
        Ok((updated, Value::Struct(out)))
    }
}

/// The flattening itself, which only needs the delimiter.
#[derive(Clone, Copy)]
struct Delimiter<'a>(&'a str);

impl Delimiter<'_> {
    fn name(self, prefix: &str, field: &str) -> String {
        if prefix.is_empty() {
            field.to_string()
        } else {
            format!("{prefix}{}{field}", self.0)
        }
    }

    /// Kafka's schemaless `applySchemaless`: nested maps recurse, other values are leaves.
    fn flatten_map(
        self,
        entries: &[(Value, Value)],
        prefix: &str,
        out: &mut Vec<(Value, Value)>,
    ) -> Result<()> {
        for (key, value) in entries {
            let name = self.name(prefix, &key.to_java_string());
            let Some(kind) = value.schemaless_type() else {
                if value.is_null() {
                    schemaless::put(out, &name, Value::Null);
                    continue;
                }
                return Err(ConnectError::data(format!(
                    "Flatten transformation was passed a value of type class {} which is not supported by Connect's data API",
                    value.java_class_name()
                )));
            };
            match kind {
                SchemaType::Map => self.flatten_map(require_map(value, PURPOSE)?, &name, out)?,
                SchemaType::Struct => {
                    return Err(ConnectError::data(format!(
                        "Flatten transformation does not support class {} for record without schemas (for field {name}).",
                        value.java_class_name()
                    )));
                }
                _ => schemaless::put(out, &name, value.clone()),
            }
        }
        Ok(())
    }

    fn derive_schema(self, schema: &Schema) -> Result<Schema> {
        let default = schema.default_value().and_then(Value::as_struct);
        self.flatten_schema(
            schema,
            "",
            copy_struct_basics(schema),
            schema.is_optional(),
            default,
        )?
        .build()
    }

    /// Kafka's `buildUpdatedSchema`: adds the flattened fields of `schema` to `out`.
    fn flatten_schema(
        self,
        schema: &Schema,
        prefix: &str,
        mut out: SchemaBuilder,
        optional: bool,
        parent_default: Option<&Struct>,
    ) -> Result<SchemaBuilder> {
        for field in schema.struct_fields()? {
            let name = self.name(prefix, field.name());
            let field_schema = field.schema();
            let optional = optional || field_schema.is_optional();
            let default = match (field_schema.default_value(), parent_default) {
                (Some(default), _) => Some(default.clone()),
                (None, Some(parent)) => {
                    Some(parent.get(field.name())?.clone()).filter(|v| !v.is_null())
                }
                (None, None) => None,
            };
            out = match field_schema.kind() {
                SchemaType::Struct => {
                    let default = default.as_ref().and_then(Value::as_struct);
                    self.flatten_schema(field_schema, &name, out, optional, default)?
                }
                SchemaType::Map => return Err(unsupported_with_schema(field_schema, &name)),
                _ => out.field(name, leaf_schema(field_schema, optional, default)?),
            };
        }
        Ok(out)
    }

    /// Kafka's `buildWithSchema`: the leaf values of `value`, in flattened field order
    /// (`next` is the position of the next leaf in `out`). A null struct (with no default)
    /// leaves its leaves null.
    fn flatten_struct(
        self,
        value: &Struct,
        prefix: &str,
        out: &mut Struct,
        next: &mut usize,
    ) -> Result<()> {
        for field in value.schema().fields() {
            let name = self.name(prefix, field.name());
            match field.schema().kind() {
                SchemaType::Struct => {
                    match value.get(field.name())? {
                        Value::Struct(nested) => self.flatten_struct(nested, &name, out, next)?,
                        // Its leaves stay null, but still take their places.
                        _ => *next += leaf_count(field.schema()),
                    }
                }
                SchemaType::Map => return Err(unsupported_with_schema(field.schema(), &name)),
                _ => {
                    put_field(out, *next, &name, value.get(field.name())?.clone())?;
                    *next += 1;
                }
            }
        }
        Ok(())
    }
}

/// How many flattened fields a struct schema produces.
fn leaf_count(schema: &Schema) -> usize {
    schema
        .fields()
        .iter()
        .map(|f| match f.schema().kind() {
            SchemaType::Struct => leaf_count(f.schema()),
            _ => 1,
        })
        .sum()
}

/// A leaf field's schema: the original with its identity, made optional when it or a parent
/// is, and carrying the inherited default (`convertFieldSchema`).
fn leaf_schema(original: &Schema, optional: bool, default: Option<Value>) -> Result<Schema> {
    let builder = match original.value_schema() {
        Some(items) if original.kind() == SchemaType::Array => SchemaBuilder::array(items.clone()),
        _ => SchemaBuilder::new(original.kind()),
    };
    let mut builder = builder
        .set_name(original.name().map(str::to_string))
        .set_version(original.version())
        .set_doc(original.doc().map(str::to_string))
        .set_parameters(original.parameters().cloned());
    if optional {
        builder = builder.optional();
    }
    if let Some(default) = default {
        builder = builder.default_value(default);
    }
    builder.build()
}

fn unsupported_with_schema(schema: &Schema, name: &str) -> ConnectError {
    ConnectError::data(format!(
        "Flatten transformation does not support {} for record with schemas (for field {name}).",
        schema.kind()
    ))
}

impl Transformation for Flatten {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        if self.side.value(&record).is_null() {
            return Ok(Some(record));
        }
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => {
                let mut out = Vec::new();
                Delimiter(&self.delimiter).flatten_map(
                    require_map(&value, PURPOSE)?,
                    "",
                    &mut out,
                )?;
                (None, Value::Map(out))
            }
            Some(schema) => {
                let (schema, value) = self.apply_with_schema(&schema, &value)?;
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
            "Flattens nested structs or maps in the record key into one level with delimited field names.",
            Flatten::config_def,
            |props| Ok(Box::new(Flatten::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Flattens nested structs or maps in the record value into one level with delimited field names.",
            Flatten::config_def,
            |props| Ok(Box::new(Flatten::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    fn nested_schema() -> Schema {
        let inner = SchemaBuilder::structure()
            .name("Inner")
            .field("x", SchemaBuilder::int32().build().expect("x"))
            .field(
                "y",
                SchemaBuilder::int32()
                    .optional()
                    .default_value(Value::Int32(5))
                    .build()
                    .expect("y"),
            )
            .optional()
            .build()
            .expect("inner");
        SchemaBuilder::structure()
            .name("Outer")
            .field("id", SchemaBuilder::int32().build().expect("id"))
            .field("inner", inner)
            .build()
            .expect("outer")
    }

    fn record(inner: Option<(i32, Option<i32>)>) -> ConnectRecord {
        let schema = nested_schema();
        let inner_schema = schema.field("inner").expect("inner").schema().clone();
        let mut value = Struct::new(schema.clone())
            .expect("struct")
            .with("id", 1i32)
            .expect("id");
        if let Some((x, y)) = inner {
            let nested = Struct::new(inner_schema)
                .expect("inner")
                .with("x", x)
                .expect("x")
                .with("y", y)
                .expect("y");
            value.put("inner", nested).expect("inner");
        }
        ConnectRecord::source("t", Some(schema), Value::Struct(value))
    }

    fn flatten(props: &[(&str, &str)]) -> Flatten {
        Flatten::new(Side::Value, &properties(props)).expect("config")
    }

    #[test]
    fn output_schema_is_derived_once_per_input_schema() {
        let mut smt = flatten(&[]);
        let a = smt
            .apply(record(Some((1, None))))
            .expect("apply")
            .expect("kept");
        let b = smt.apply(record(None)).expect("apply").expect("kept");
        let (sa, sb) = (
            a.value_schema.expect("schema"),
            b.value_schema.expect("schema"),
        );
        assert!(sa.ptr_eq(&sb));
        let names: Vec<&str> = sa.fields().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["id", "inner.x", "inner.y"]);
        // Optional because the parent is; the default is inherited.
        let x = sa.field("inner.x").expect("x").schema();
        assert!(x.is_optional());
        assert_eq!(
            sa.field("inner.y").expect("y").schema().default_value(),
            Some(&Value::Int32(5))
        );
        let va = a.value.as_struct().expect("struct").clone();
        assert_eq!(
            va.get_without_default("inner.y").expect("y"),
            &Value::Int32(5)
        );
        let vb = b.value.as_struct().expect("struct").clone();
        assert_eq!(vb.get_without_default("inner.x").expect("x"), &Value::Null);
        assert_eq!(vb.get_without_default("inner.y").expect("y"), &Value::Null);
    }

    #[test]
    fn schemaless_maps_flatten_recursively_with_the_delimiter() {
        let mut smt = flatten(&[("delimiter", "#")]);
        let value = Value::Map(vec![
            (
                Value::from("a"),
                Value::Map(vec![(Value::from("b"), Value::Int64(1))]),
            ),
            (Value::from("l"), Value::Array(vec![Value::Map(Vec::new())])),
            (Value::from("e"), Value::Map(Vec::new())),
            (Value::from("n"), Value::Null),
        ]);
        let out = smt
            .apply(ConnectRecord::source("t", None, value))
            .expect("apply")
            .expect("kept");
        let expected = Value::Map(vec![
            (Value::from("a#b"), Value::Int64(1)),
            (Value::from("l"), Value::Array(vec![Value::Map(Vec::new())])),
            (Value::from("n"), Value::Null),
        ]);
        assert_eq!(out.value, expected);
    }

    #[test]
    fn rejects_what_kafka_rejects() {
        let mut smt = flatten(&[]);
        let map_schema = SchemaBuilder::map(
            SchemaBuilder::string().build().expect("k"),
            SchemaBuilder::int32().build().expect("v"),
        )
        .optional()
        .build()
        .expect("map");
        let schema = SchemaBuilder::structure()
            .field("m", map_schema)
            .build()
            .expect("struct");
        let value = Struct::new(schema.clone()).expect("struct");
        let err = smt
            .apply(ConnectRecord::source(
                "t",
                Some(schema),
                Value::Struct(value),
            ))
            .expect_err("map field");
        assert_eq!(
            err.message(),
            "Flatten transformation does not support MAP for record with schemas (for field m)."
        );
        let err = smt
            .apply(ConnectRecord::source("t", None, Value::from("text")))
            .expect_err("not a map");
        assert_eq!(
            err.message(),
            "Only Map objects supported in absence of schema for [flattening], found: java.lang.String"
        );
        let nested = Value::Map(vec![(Value::from("d"), Value::Timestamp(0))]);
        let err = smt
            .apply(ConnectRecord::source("t", None, nested))
            .expect_err("date");
        assert_eq!(
            err.message(),
            "Flatten transformation was passed a value of type class java.util.Date which is not supported by Connect's data API"
        );
    }
}
