//! `InsertField$Key` / `InsertField$Value`: adds the record's topic, partition, offset
//! (sink records only) or timestamp, or a static string, as fields of a struct or map, so
//! sinks that only store the value keep that metadata.
//!
//! A field spec may end with `!` (required field) or `?` (optional, the default). Tombstones
//! pass through untouched, so deletes still reach compacted topics.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::logical;
use connect_core::plugin::Plugin;
use connect_core::{
    ConnectError, ConnectRecord, Result, Schema, SchemaType, Struct, Transformation, Value,
};

use crate::requirements::{into_map, into_struct, require_sink_record};
use crate::schema_cache::PlanCache;
use crate::schema_util::copy_struct_basics;
use crate::schemaless;
use crate::side::Side;
use crate::struct_plan::{NullDefaults, PutCheck, PutChecks};
use crate::{REPLACE_NULL_WITH_DEFAULT, replace_null_with_default_key};

/// The Kafka Connect class name of the key variant.
pub const KEY_CLASS: &str = "org.apache.kafka.connect.transforms.InsertField$Key";
/// The Kafka Connect class name of the value variant.
pub const VALUE_CLASS: &str = "org.apache.kafka.connect.transforms.InsertField$Value";

const TOPIC_FIELD: &str = "topic.field";
const PARTITION_FIELD: &str = "partition.field";
const OFFSET_FIELD: &str = "offset.field";
const TIMESTAMP_FIELD: &str = "timestamp.field";
const STATIC_FIELD: &str = "static.field";
const STATIC_VALUE: &str = "static.value";
const PURPOSE: &str = "field insertion";

/// A field to insert: its name and whether the inserted schema field is optional.
#[derive(Clone, Debug, PartialEq, Eq)]
struct InsertionSpec {
    name: String,
    optional: bool,
}

impl InsertionSpec {
    /// Kafka's spec syntax: a trailing `!` makes the field required, `?` (or nothing)
    /// optional.
    fn parse(spec: Option<&str>) -> Option<Self> {
        let spec = spec?;
        Some(if let Some(name) = spec.strip_suffix('?') {
            Self {
                name: name.to_string(),
                optional: true,
            }
        } else if let Some(name) = spec.strip_suffix('!') {
            Self {
                name: name.to_string(),
                optional: false,
            }
        } else {
            Self {
                name: spec.to_string(),
                optional: true,
            }
        })
    }
}

/// What to insert, as configured.
#[derive(Debug)]
struct Insertions {
    topic: Option<InsertionSpec>,
    partition: Option<InsertionSpec>,
    offset: Option<InsertionSpec>,
    timestamp: Option<InsertionSpec>,
    static_field: Option<InsertionSpec>,
    static_value: Option<String>,
}

impl Insertions {
    /// Hands each field to insert for this record to `put`, in Kafka's order, with its value
    /// (`None` when the record lacks the metadata, e.g. no timestamp). Kafka's
    /// `insertFields` skips such fields, so they stay null even when required.
    fn for_each_value(
        &self,
        record: &ConnectRecord,
        schemaless: bool,
        mut put: impl FnMut(&InsertionSpec, Option<Value>),
    ) -> Result<()> {
        if let Some(spec) = &self.topic {
            put(spec, Some(Value::String(record.topic.clone())));
        }
        if let Some(spec) = &self.partition {
            put(spec, record.kafka_partition.map(Value::Int32));
        }
        if let Some(spec) = &self.offset {
            put(
                spec,
                Some(Value::Int64(require_sink_record(record, PURPOSE)?)),
            );
        }
        if let Some(spec) = &self.timestamp {
            let value = record.timestamp.map(|ts| {
                if schemaless {
                    Value::Int64(ts)
                } else {
                    Value::Timestamp(ts)
                }
            });
            put(spec, value);
        }
        if let Some(spec) = &self.static_field {
            put(spec, self.static_value.clone().map(Value::String));
        }
        Ok(())
    }

    /// How many fields are inserted into every struct.
    fn count(&self) -> usize {
        [
            &self.topic,
            &self.partition,
            &self.offset,
            &self.timestamp,
            &self.static_field,
        ]
        .iter()
        .filter(|spec| spec.is_some())
        .count()
    }

    /// The input struct schema plus the inserted fields (appended in Kafka's order).
    fn derive_schema(&self, schema: &Schema) -> Result<Schema> {
        let mut builder = copy_struct_basics(schema);
        for field in schema.fields() {
            builder = builder.field(field.name(), field.schema().clone());
        }
        let primitive = |kind: SchemaType, spec: &InsertionSpec| {
            Schema::primitive(kind, spec.optional)
                .ok_or_else(|| ConnectError::data(format!("No primitive schema for {kind}")))
        };
        if let Some(spec) = &self.topic {
            builder = builder.field(&spec.name, primitive(SchemaType::String, spec)?);
        }
        if let Some(spec) = &self.partition {
            builder = builder.field(&spec.name, primitive(SchemaType::Int32, spec)?);
        }
        if let Some(spec) = &self.offset {
            builder = builder.field(&spec.name, primitive(SchemaType::Int64, spec)?);
        }
        if let Some(spec) = &self.timestamp {
            builder = builder.field(
                &spec.name,
                logical::timestamp_schema()
                    .set_optional(spec.optional)
                    .build()?,
            );
        }
        if let Some(spec) = &self.static_field {
            builder = builder.field(&spec.name, primitive(SchemaType::String, spec)?);
        }
        builder.build()
    }
}

/// Inserts record metadata and/or a static value into the key or value.
#[derive(Debug)]
pub struct InsertField {
    side: Side,
    insertions: Insertions,
    replace_null_with_default: bool,
    plans: PlanCache<InsertPlan>,
}

/// What inserting into structs of one input schema takes, worked out once per schema: the
/// input values keep their positions and the inserted ones are appended.
#[derive(Debug)]
struct InsertPlan {
    output: Schema,
    defaults: NullDefaults,
    /// Kafka puts every copied value into the new struct: what that can reject.
    checks: PutChecks,
    /// How many values are appended.
    inserted: usize,
}

impl InsertPlan {
    fn new(
        insertions: &Insertions,
        input: &Schema,
        replace_null_with_default: bool,
    ) -> Result<Self> {
        let output = insertions.derive_schema(input)?;
        let mut checks = PutChecks::default();
        for (field, out) in input.fields().iter().zip(output.fields()) {
            checks.push(field.index(), PutCheck::moved(field.schema(), out.schema()));
        }
        Ok(Self {
            defaults: NullDefaults::of(input, replace_null_with_default, |_| true),
            checks,
            inserted: insertions.count(),
            output,
        })
    }
}

impl InsertField {
    /// The settings, as Kafka's InsertField declares them.
    pub fn config_def() -> ConfigDef {
        const OPTIONALITY: &str =
            "Append '!' to make it a required field, or '?' to keep it optional (the default).";
        let field = |name: &str, what: &str| {
            ConfigKey::new(
                name,
                ConfigType::String,
                Importance::Medium,
                format!("Name of the field that receives {what}. {OPTIONALITY}"),
            )
            .with_null_default()
        };
        ConfigDef::new()
            .define(field(TOPIC_FIELD, "the Kafka topic"))
            .define(field(PARTITION_FIELD, "the Kafka partition"))
            .define(field(
                OFFSET_FIELD,
                "the Kafka offset (sink connectors only)",
            ))
            .define(field(TIMESTAMP_FIELD, "the record timestamp"))
            .define(field(STATIC_FIELD, "the static value"))
            .define(
                ConfigKey::new(
                    STATIC_VALUE,
                    ConfigType::String,
                    Importance::Medium,
                    "The string inserted into the static field; required when static.field is set.",
                )
                .with_null_default(),
            )
            .define(replace_null_with_default_key())
    }

    /// Configures the transformation for one side of the record.
    pub fn new(side: Side, props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let spec = |key: &str| InsertionSpec::parse(config.string(key));
        let insertions = Insertions {
            topic: spec(TOPIC_FIELD),
            partition: spec(PARTITION_FIELD),
            offset: spec(OFFSET_FIELD),
            timestamp: spec(TIMESTAMP_FIELD),
            static_field: spec(STATIC_FIELD),
            static_value: config.string(STATIC_VALUE).map(str::to_string),
        };
        if insertions.topic.is_none()
            && insertions.partition.is_none()
            && insertions.offset.is_none()
            && insertions.timestamp.is_none()
            && insertions.static_field.is_none()
        {
            return Err(ConnectError::config("No field insertion configured"));
        }
        if let (Some(field), None) = (&insertions.static_field, &insertions.static_value) {
            return Err(ConnectError::invalid_config_value(
                STATIC_VALUE,
                "null",
                format_args!("No value specified for static field: {}", field.name),
            ));
        }
        Ok(Self {
            side,
            insertions,
            replace_null_with_default: config.boolean(REPLACE_NULL_WITH_DEFAULT).unwrap_or(true),
            plans: PlanCache::default(),
        })
    }

    fn apply_schemaless(&self, record: &ConnectRecord, value: Value) -> Result<Value> {
        let mut entries = into_map(value, PURPOSE)?;
        self.insertions
            .for_each_value(record, true, |spec, inserted| {
                if let Some(inserted) = inserted {
                    schemaless::put(&mut entries, &spec.name, inserted);
                }
            })?;
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(
        &mut self,
        record: &ConnectRecord,
        value: Value,
    ) -> Result<(Schema, Value)> {
        let original = into_struct(value, PURPOSE)?;
        let insertions = &self.insertions;
        let replace = self.replace_null_with_default;
        let plan = self.plans.get_or_build(original.schema(), |s| {
            InsertPlan::new(insertions, s, replace)
        })?;
        let (input, mut input_values) = original.into_parts();
        plan.defaults.fill(&input, &mut input_values);
        plan.checks.run(&plan.output, &input_values)?;
        // The input values move into an allocation of the final size; only the inserted
        // values are new. Growing the old allocation would copy them too, and through
        // `realloc`, which misses the allocator's per-size caches (measured: slower).
        let mut values = Vec::with_capacity(input_values.len() + plan.inserted);
        values.append(&mut input_values);
        insertions.for_each_value(record, false, |_, inserted| {
            values.push(inserted.unwrap_or(Value::Null));
        })?;
        let updated = Struct::from_values_unchecked(plan.output.clone(), values);
        Ok((plan.output.clone(), Value::Struct(updated)))
    }
}

impl Transformation for InsertField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(self.apply_in_place(&mut record)?.then_some(record))
    }

    fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        if self.side.value(&*record).is_null() {
            return Ok(true);
        }
        let (schema, value) = self.side.take(record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(record, value)?),
            Some(_) => {
                let (schema, value) = self.apply_with_schema(record, value)?;
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
            "Inserts the topic, partition, offset, timestamp or a static value as fields of the record key.",
            InsertField::config_def,
            |props| Ok(Box::new(InsertField::new(Side::Key, props)?)),
        ),
        crate::transformation_plugin(
            VALUE_CLASS,
            "Inserts the topic, partition, offset, timestamp or a static value as fields of the record value.",
            InsertField::config_def,
            |props| Ok(Box::new(InsertField::new(Side::Value, props)?)),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;
    use connect_core::config::properties;

    fn record() -> ConnectRecord {
        let schema = SchemaBuilder::structure()
            .name("Order")
            .field("id", SchemaBuilder::int64().build().expect("int64"))
            .build()
            .expect("struct");
        let value = Struct::new(schema.clone())
            .expect("value")
            .with("id", 7i64)
            .expect("id");
        let mut record = ConnectRecord::source("orders", Some(schema), Value::Struct(value));
        record.kafka_partition = Some(3);
        record.timestamp = Some(1_700_000_000_000);
        record
    }

    #[test]
    fn output_schema_is_derived_once_per_input_schema() {
        let mut smt = InsertField::new(
            Side::Value,
            &properties(&[("topic.field", "topic"), ("timestamp.field", "ts!")]),
        )
        .expect("config");
        let first = smt.apply(record()).expect("apply").expect("kept");
        let second = smt.apply(record()).expect("apply").expect("kept");
        let (a, b) = (
            first.value_schema.expect("schema"),
            second.value_schema.expect("schema"),
        );
        assert!(a.ptr_eq(&b), "the cached schema is reused");
        assert_eq!(a.name(), Some("Order"));
        let ts = a.field("ts").expect("ts field");
        assert!(!ts.schema().is_optional());
        assert_eq!(ts.schema().name(), Some(logical::TIMESTAMP_NAME));
        let value = first.value.as_struct().expect("struct").clone();
        assert_eq!(value.get("topic").expect("topic"), &Value::from("orders"));
        assert_eq!(
            value.get("ts").expect("ts"),
            &Value::Timestamp(1_700_000_000_000)
        );
    }

    #[test]
    fn offsets_need_sink_records() {
        let mut smt =
            InsertField::new(Side::Value, &properties(&[("offset.field", "o")])).expect("config");
        let err = smt.apply(record()).expect_err("source record");
        assert_eq!(
            err.message(),
            "Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord"
        );
        let mut sink = record();
        sink.origin = connect_core::RecordOrigin::Sink {
            kafka_offset: 42,
            timestamp_type: connect_core::TimestampType::CreateTime,
            original_topic: "orders".into(),
            original_partition: 3,
        };
        let out = smt.apply(sink).expect("apply").expect("kept");
        let value = out.value.as_struct().expect("struct").clone();
        assert_eq!(value.get("o").expect("o"), &Value::Int64(42));
    }

    #[test]
    fn a_required_field_left_null_fails_as_kafka_put_does() {
        let mut smt =
            InsertField::new(Side::Value, &properties(&[("topic.field", "t")])).expect("config");
        let mut input = record();
        let schema = input.value_schema.clone().expect("schema");
        input.value = Value::Struct(Struct::from_values_unchecked(schema, vec![Value::Null]));
        for _ in 0..2 {
            let err = smt.apply(input.clone()).expect_err("id is required");
            assert_eq!(
                err.message(),
                "Invalid value: null used for required field: \"id\", schema type: INT64"
            );
        }
        // A valid record of the same schema goes through the same plan.
        let out = smt.apply(record()).expect("apply").expect("kept");
        let value = out.value.as_struct().expect("struct");
        assert_eq!(value.values(), [Value::Int64(7), Value::from("orders")]);
    }

    #[test]
    fn defaults_replace_nulls_unless_disabled() {
        let schema = SchemaBuilder::structure()
            .field(
                "n",
                SchemaBuilder::int32()
                    .default_value(Value::Int32(5))
                    .build()
                    .expect("int32 with default"),
            )
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(schema.clone(), vec![Value::Null]);
        let input = ConnectRecord::source("t", Some(schema), Value::Struct(value));
        let mut smt = InsertField::new(
            Side::Value,
            &properties(&[("static.field", "s"), ("static.value", "v")]),
        )
        .expect("config");
        let out = smt.apply(input.clone()).expect("apply").expect("kept");
        assert_eq!(
            out.value.as_struct().expect("struct").values(),
            [Value::Int32(5), Value::from("v")]
        );
        let mut smt = InsertField::new(
            Side::Value,
            &properties(&[
                ("static.field", "s"),
                ("static.value", "v"),
                ("replace.null.with.default", "false"),
            ]),
        )
        .expect("config");
        // Kafka's `put` then rejects the null of the required field.
        let err = smt.apply(input).expect_err("n is required");
        assert_eq!(
            err.message(),
            "Invalid value: null used for required field: \"n\", schema type: INT32"
        );
    }
}
