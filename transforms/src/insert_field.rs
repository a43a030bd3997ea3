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
use crate::schema_cache::SchemaCache;
use crate::schema_util::{copy_struct_basics, into_field_values};
use crate::schemaless;
use crate::side::Side;
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
    /// The fields to insert for this record, in Kafka's order, with their values (`None`
    /// when the record lacks the metadata, e.g. no timestamp).
    fn values(
        &self,
        record: &ConnectRecord,
        schemaless: bool,
    ) -> Result<Vec<(&InsertionSpec, Option<Value>)>> {
        let mut out = Vec::with_capacity(5);
        if let Some(spec) = &self.topic {
            out.push((spec, Some(Value::String(record.topic.clone()))));
        }
        if let Some(spec) = &self.partition {
            out.push((spec, record.kafka_partition.map(Value::Int32)));
        }
        if let Some(spec) = &self.offset {
            out.push((
                spec,
                Some(Value::Int64(require_sink_record(record, PURPOSE)?)),
            ));
        }
        if let Some(spec) = &self.timestamp {
            let value = record.timestamp.map(|ts| {
                if schemaless {
                    Value::Int64(ts)
                } else {
                    Value::Timestamp(ts)
                }
            });
            out.push((spec, value));
        }
        if let Some(spec) = &self.static_field {
            out.push((spec, self.static_value.clone().map(Value::String)));
        }
        Ok(out)
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
    schemas: SchemaCache,
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
            schemas: SchemaCache::default(),
        })
    }

    fn apply_schemaless(&self, record: &ConnectRecord, value: Value) -> Result<Value> {
        let mut entries = into_map(value, PURPOSE)?;
        for (spec, inserted) in self.insertions.values(record, true)? {
            if let Some(inserted) = inserted {
                schemaless::put(&mut entries, &spec.name, inserted);
            }
        }
        Ok(Value::Map(entries))
    }

    fn apply_with_schema(
        &mut self,
        record: &ConnectRecord,
        value: Value,
    ) -> Result<(Schema, Value)> {
        let original = into_struct(value, PURPOSE)?;
        let insertions = &self.insertions;
        let schema = self
            .schemas
            .get_or_derive(original.schema(), |s| insertions.derive_schema(s))?;
        let mut values = into_field_values(original, self.replace_null_with_default);
        values.reserve(schema.fields().len().saturating_sub(values.len()));
        for (_, inserted) in self.insertions.values(record, false)? {
            values.push(inserted.unwrap_or(Value::Null));
        }
        let updated = Struct::from_values_unchecked(schema.clone(), values);
        Ok((schema, Value::Struct(updated)))
    }
}

impl Transformation for InsertField {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        if self.side.value(&record).is_null() {
            return Ok(Some(record));
        }
        let (schema, value) = self.side.take(&mut record);
        let (schema, value) = match schema {
            None => (None, self.apply_schemaless(&record, value)?),
            Some(_) => {
                let (schema, value) = self.apply_with_schema(&record, value)?;
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
}
