//! `TimestampRouter`: renames the topic from the original topic and the record timestamp
//! (`${topic}-${timestamp}` with `yyyyMMdd` by default, so `orders` becomes
//! `orders-20231114`), mainly for sinks that map topics to tables or indices and want one per
//! day.
//!
//! As in Kafka Connect, a bad `timestamp.format` only fails when a record is routed, and
//! `${timestamp}` is substituted after `${topic}`, so a topic containing `${timestamp}` is
//! expanded too.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, RecordOrigin, Result, Schema, Transformation};

use crate::java_date_format::{JavaDateFormat, PatternError};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.TimestampRouter";

const TOPIC_FORMAT: &str = "topic.format";
const TIMESTAMP_FORMAT: &str = "timestamp.format";

/// Routes records to a topic named after their topic and timestamp.
#[derive(Debug)]
pub struct TimestampRouter {
    topic_format: String,
    /// The compiled pattern, or Java's error, reported per record.
    timestamp_format: std::result::Result<JavaDateFormat, PatternError>,
}

impl TimestampRouter {
    /// The settings, as Kafka's TimestampRouter declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    TOPIC_FORMAT,
                    ConfigType::String,
                    Importance::High,
                    "Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders for the topic and timestamp, respectively.",
                )
                .with_default(ConfigValue::String("${topic}-${timestamp}".to_string())),
            )
            .define(
                ConfigKey::new(
                    TIMESTAMP_FORMAT,
                    ConfigType::String,
                    Importance::High,
                    "Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.",
                )
                .with_default(ConfigValue::String("yyyyMMdd".to_string())),
            )
    }

    /// Configures the router.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        Ok(Self {
            topic_format: config.string(TOPIC_FORMAT).unwrap_or_default().to_string(),
            timestamp_format: JavaDateFormat::new(
                config.string(TIMESTAMP_FORMAT).unwrap_or_default(),
            ),
        })
    }
}

impl Transformation for TimestampRouter {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        let Some(timestamp) = record.timestamp else {
            return Err(ConnectError::data(format!(
                "Timestamp missing on record: {}",
                describe(&record)
            )));
        };
        let format = self
            .timestamp_format
            .as_ref()
            .map_err(|e| ConnectError::invalid_argument(e.message()))?;
        let formatted = format.format(timestamp);
        record.topic = self
            .topic_format
            .replace("${topic}", &record.topic)
            .replace("${timestamp}", &formatted);
        Ok(Some(record))
    }
}

/// The record as Java's `SourceRecord`/`SinkRecord.toString()` prints it, for the error a
/// Kafka Connect user would recognise.
fn describe(record: &ConnectRecord) -> String {
    let prefix = match &record.origin {
        RecordOrigin::Source { partition, offset } => format!(
            "SourceRecord{{sourcePartition={}, sourceOffset={}}}",
            partition.as_deref().map_or("null".to_string(), java_map),
            offset.as_ref().map_or("null".to_string(), java_map),
        ),
        RecordOrigin::Sink {
            kafka_offset,
            timestamp_type,
            original_topic,
            original_partition,
        } => format!(
            "SinkRecord{{kafkaOffset={kafka_offset}, timestampType={}, originalTopic={original_topic}, originalKafkaPartition={original_partition}, originalKafkaOffset={kafka_offset}}}",
            match timestamp_type {
                connect_core::TimestampType::NoTimestampType => "NoTimestampType",
                connect_core::TimestampType::CreateTime => "CreateTime",
                connect_core::TimestampType::LogAppendTime => "LogAppendTime",
            }
        ),
    };
    let schema = |s: &Option<Schema>| s.as_ref().map_or("null".to_string(), Schema::to_string);
    let headers = if record.headers.is_empty() {
        String::new()
    } else {
        let items: Vec<String> = record
            .headers
            .iter()
            .map(|h| {
                format!(
                    "ConnectHeader(key={}, value={}, schema={})",
                    h.key,
                    h.value.to_java_string(),
                    schema(&h.schema)
                )
            })
            .collect();
        format!("[{}]", items.join(", "))
    };
    format!(
        "{prefix} ConnectRecord{{topic='{}', kafkaPartition={}, key={}, keySchema={}, value={}, valueSchema={}, timestamp=null, headers=ConnectHeaders(headers={headers})}}",
        record.topic,
        record
            .kafka_partition
            .map_or("null".to_string(), |p| p.to_string()),
        record.key.to_java_string(),
        schema(&record.key_schema),
        record.value.to_java_string(),
        schema(&record.value_schema),
    )
}

/// A JSON-like offset map as Java's `HashMap.toString()` prints it (strings unquoted).
fn java_map(map: &connect_core::OffsetMap) -> String {
    let entries: Vec<String> = map
        .iter()
        .map(|(k, v)| match v.as_str() {
            Some(text) => format!("{k}={text}"),
            None => format!("{k}={v}"),
        })
        .collect();
    format!("{{{}}}", entries.join(", "))
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Routes each record to a topic named after its original topic and its timestamp (e.g. one topic per day).",
        TimestampRouter::config_def,
        |props| Ok(Box::new(TimestampRouter::new(props)?)),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;
    use connect_core::config::properties;

    fn record(timestamp: Option<i64>) -> ConnectRecord {
        let mut record = ConnectRecord::source("orders", None, Value::from("v"));
        record.kafka_partition = Some(0);
        record.timestamp = timestamp;
        record
    }

    fn route(props: &[(&str, &str)], timestamp: Option<i64>) -> Result<String> {
        let mut router = TimestampRouter::new(&properties(props))?;
        Ok(router.apply(record(timestamp))?.expect("kept").topic)
    }

    #[test]
    fn formats_topic_and_timestamp() {
        assert_eq!(
            route(&[], Some(1_700_000_000_000)),
            Ok("orders-20231114".to_string())
        );
        let props = [
            ("topic.format", "${timestamp}_${topic}_${topic}"),
            ("timestamp.format", "yyyy-MM-dd'T'HH"),
        ];
        assert_eq!(
            route(&props, Some(1_700_000_000_000)),
            Ok("2023-11-14T22_orders_orders".to_string())
        );
        assert_eq!(
            route(&[("timestamp.format", "yyyyMMddHHmmssSSS")], Some(-1)),
            Ok("orders-19691231235959999".to_string())
        );
    }

    #[test]
    fn a_bad_pattern_fails_when_routing() {
        let mut router = TimestampRouter::new(&properties(&[("timestamp.format", "yyyy-bogus")]))
            .expect("configure succeeds");
        let err = router.apply(record(Some(0))).expect_err("bad pattern");
        assert_eq!(
            (err.simple_class(), err.message()),
            ("IllegalArgumentException", "Illegal pattern character 'b'")
        );
    }

    #[test]
    fn records_need_a_timestamp() {
        let err = route(&[], None).expect_err("no timestamp");
        assert_eq!(
            err.message(),
            "Timestamp missing on record: SourceRecord{sourcePartition=null, sourceOffset=null} ConnectRecord{topic='orders', kafkaPartition=0, key=null, keySchema=null, value=v, valueSchema=null, timestamp=null, headers=ConnectHeaders(headers=)}"
        );
    }
}
