//! What is known about one failed record, and the log reporter.

use connect_core::{ConnectError, TimestampType};

use super::stage::Stage;

/// A consumed record exactly as it came from Kafka: what the dead letter queue must hold,
/// byte for byte, so the record can be inspected or replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OriginalRecord {
    pub(crate) topic: String,
    pub(crate) partition: i32,
    pub(crate) offset: i64,
    pub(crate) timestamp: Option<i64>,
    pub(crate) timestamp_type: TimestampType,
    pub(crate) key: Option<Vec<u8>>,
    pub(crate) value: Option<Vec<u8>>,
    pub(crate) headers: Vec<(String, Option<Vec<u8>>)>,
}

/// One record-level failure after retries: where it happened, why, and the record.
#[derive(Debug)]
pub(crate) struct ErrorReport {
    pub(crate) stage: Stage,
    /// The class that was executing (converter, transformation or task), as in
    /// `__connect.errors.class.name`.
    pub(crate) class_name: String,
    pub(crate) error: ConnectError,
    /// The consumed record (sink connectors); `None` for source records.
    pub(crate) original: Option<OriginalRecord>,
    /// A description of a source record, for logs with `errors.log.include.messages`.
    pub(crate) source_record: Option<String>,
}

impl ErrorReport {
    /// Kafka Connect's description of the failure context: the stage and class, plus the
    /// record's coordinates when `include_record` is set.
    pub(crate) fn context(&self, include_record: bool) -> String {
        let mut text = format!(
            "Executing stage '{}' with class '{}'",
            self.stage, self.class_name
        );
        if include_record {
            if let Some(original) = &self.original {
                text.push_str(&format!(
                    ", where consumed record is {{topic='{}', partition={}, offset={}",
                    original.topic, original.partition, original.offset
                ));
                if let Some(timestamp) = original.timestamp {
                    text.push_str(&format!(
                        ", timestamp={timestamp}, timestampType={}",
                        timestamp_type_name(original.timestamp_type)
                    ));
                }
                text.push('}');
            } else if let Some(record) = &self.source_record {
                text.push_str(&format!(", where source record is = {record}"));
            }
        }
        text.push('.');
        text
    }

    /// The error as Kafka's stack trace header would start: class, message, causes.
    pub(crate) fn error_trace(&self) -> String {
        let mut text = format!("{}: {}", self.error.java_class(), self.error.message());
        if let Some(cause) = self.error.cause() {
            text.push_str(&format!("\nCaused by: {cause}"));
        }
        text
    }
}

fn timestamp_type_name(kind: TimestampType) -> &'static str {
    match kind {
        TimestampType::NoTimestampType => "NoTimestampType",
        TimestampType::CreateTime => "CreateTime",
        TimestampType::LogAppendTime => "LogAppendTime",
    }
}

/// Writes a failure to the worker log, as Kafka Connect's `LogReporter` does.
pub(crate) fn log_error(connector: &str, task: u32, report: &ErrorReport, include_record: bool) {
    tracing::error!(
        connector,
        task,
        stage = %report.stage,
        class = %report.class_name,
        error = %report.error_trace(),
        "Error encountered in task {connector}-{task}. {}",
        report.context(include_record)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_names_stage_class_and_record_like_kafka() {
        let report = ErrorReport {
            stage: Stage::ValueConverter,
            class_name: "org.apache.kafka.connect.json.JsonConverter".into(),
            error: ConnectError::data("bad"),
            original: Some(OriginalRecord {
                topic: "orders".into(),
                partition: 2,
                offset: 41,
                timestamp: Some(1_700_000_000_000),
                timestamp_type: TimestampType::CreateTime,
                key: None,
                value: Some(b"{".to_vec()),
                headers: Vec::new(),
            }),
            source_record: None,
        };
        assert_eq!(
            report.context(false),
            "Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter'."
        );
        assert_eq!(
            report.context(true),
            "Executing stage 'VALUE_CONVERTER' with class 'org.apache.kafka.connect.json.JsonConverter', where consumed record is {topic='orders', partition=2, offset=41, timestamp=1700000000000, timestampType=CreateTime}."
        );
        assert_eq!(
            report.error_trace(),
            "org.apache.kafka.connect.errors.DataException: bad"
        );
    }
}
