//! Records as they travel between connectors, transforms, converters and Kafka.
//!
//! One record type serves both directions; [`RecordOrigin`] says whether it came from a
//! source task (with the source partition and offset to commit once Kafka has it) or from
//! Kafka for a sink task (with the Kafka offset to commit once the sink has it). Keeping the
//! fields plain data lets records cross a process boundary to out-of-process plugins.

use crate::header::Headers;
use crate::schema::Schema;
use crate::value::Value;

/// A source partition or offset: a JSON-like map, as in Kafka Connect, where it is
/// serialized with the JSON converter into the offsets store.
pub type OffsetMap = serde_json::Map<String, serde_json::Value>;

/// A source partition, shared by every record of that partition: a task creates it once
/// and attaches a reference to each record, which keeps records cheap and lets the runtime
/// recognise the partition by identity.
pub type SourcePartition = std::sync::Arc<OffsetMap>;

/// A schema and a value travelling together, as converters return them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SchemaAndValue {
    /// The schema, or `None` for schemaless data.
    pub schema: Option<Schema>,
    /// The value.
    pub value: Value,
}

impl SchemaAndValue {
    /// No schema and a null value (Kafka's `SchemaAndValue.NULL`).
    pub const NULL: SchemaAndValue = SchemaAndValue {
        schema: None,
        value: Value::Null,
    };

    /// A pair from its parts.
    pub fn new(schema: Option<Schema>, value: Value) -> Self {
        Self { schema, value }
    }
}

/// How Kafka stamped a consumed record's timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TimestampType {
    /// The broker did not say.
    #[default]
    NoTimestampType,
    /// Set by the producer.
    CreateTime,
    /// Set by the broker on append.
    LogAppendTime,
}

/// Where a record came from and what must be committed once it is delivered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RecordOrigin {
    /// Produced by a source task.
    Source {
        /// Which part of the source system (a file, a table) the record came from.
        partition: Option<SourcePartition>,
        /// How far into that partition the record is, to resume from after a restart.
        /// May be left out on all but the last record of a batch: the runtime commits the
        /// latest offset of the records Kafka has acknowledged, in order.
        offset: Option<OffsetMap>,
    },
    /// Consumed from Kafka for a sink task.
    Sink {
        /// The record's offset in its Kafka partition.
        kafka_offset: i64,
        /// How the timestamp was assigned.
        timestamp_type: TimestampType,
        /// The topic the record was read from, before any transform renamed it. Shared
        /// by the records of a batch: one allocation per topic, not per record.
        original_topic: std::sync::Arc<str>,
        /// The partition the record was read from.
        original_partition: i32,
    },
}

/// A record with Connect-typed key, value and headers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConnectRecord {
    /// Destination topic (source records) or topic read from (sink records).
    pub topic: String,
    /// Kafka partition, if fixed.
    pub kafka_partition: Option<i32>,
    /// Schema of the key.
    pub key_schema: Option<Schema>,
    /// The key.
    pub key: Value,
    /// Schema of the value.
    pub value_schema: Option<Schema>,
    /// The value (null for a tombstone).
    pub value: Value,
    /// Milliseconds since epoch, if known.
    pub timestamp: Option<i64>,
    /// Headers, in order.
    pub headers: Headers,
    /// Source or sink position.
    pub origin: RecordOrigin,
}

impl ConnectRecord {
    /// A source record with no key, headers, timestamp or position, to be filled in.
    pub fn source(topic: impl Into<String>, value_schema: Option<Schema>, value: Value) -> Self {
        Self {
            topic: topic.into(),
            kafka_partition: None,
            key_schema: None,
            key: Value::Null,
            value_schema,
            value,
            timestamp: None,
            headers: Headers::new(),
            origin: RecordOrigin::Source {
                partition: None,
                offset: None,
            },
        }
    }

    /// Whether the record came from a source task.
    pub fn is_source(&self) -> bool {
        matches!(self.origin, RecordOrigin::Source { .. })
    }

    /// The Kafka offset of a sink record.
    pub fn kafka_offset(&self) -> Option<i64> {
        match self.origin {
            RecordOrigin::Sink { kafka_offset, .. } => Some(kafka_offset),
            RecordOrigin::Source { .. } => None,
        }
    }

    /// The key with its schema.
    pub fn key_and_schema(&self) -> SchemaAndValue {
        SchemaAndValue::new(self.key_schema.clone(), self.key.clone())
    }

    /// The value with its schema.
    pub fn value_and_schema(&self) -> SchemaAndValue {
        SchemaAndValue::new(self.value_schema.clone(), self.value.clone())
    }
}
