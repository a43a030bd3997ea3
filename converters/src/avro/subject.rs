//! Subject name strategies: under which registry subject a schema is registered and looked
//! up.
//!
//! Confluent's three built-in strategies, named by their class names in
//! `key.subject.name.strategy` / `value.subject.name.strategy`:
//! `TopicNameStrategy` (`<topic>-key` / `<topic>-value`, the default: one schema lineage per
//! topic), `RecordNameStrategy` (`<record full name>`: one lineage per record type across
//! topics) and `TopicRecordNameStrategy` (`<topic>-<record full name>`: several record
//! types per topic). The record strategies need a record schema.

use connect_core::{ConnectError, Result};

use super::schema::{AvroSchema, Kind};

const PACKAGE: &str = "io.confluent.kafka.serializers.subject.";

/// A subject name strategy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubjectNameStrategy {
    /// `<topic>-key` or `<topic>-value`.
    TopicName,
    /// The record's full name.
    RecordName,
    /// `<topic>-<record full name>`.
    TopicRecordName,
}

impl SubjectNameStrategy {
    /// The strategy named by a Confluent class name (or its simple name).
    pub fn from_class_name(name: &str) -> Option<Self> {
        let simple = name.trim().strip_prefix(PACKAGE).unwrap_or(name.trim());
        Some(match simple {
            "TopicNameStrategy" => Self::TopicName,
            "RecordNameStrategy" => Self::RecordName,
            "TopicRecordNameStrategy" => Self::TopicRecordName,
            _ => return None,
        })
    }

    /// Confluent's class name.
    pub fn class_name(self) -> &'static str {
        match self {
            Self::TopicName => "io.confluent.kafka.serializers.subject.TopicNameStrategy",
            Self::RecordName => "io.confluent.kafka.serializers.subject.RecordNameStrategy",
            Self::TopicRecordName => {
                "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy"
            }
        }
    }

    /// The subject for a schema written to `topic`. Record strategies refuse schemas that
    /// are not records with Confluent's message (a `SerializationException` there), which
    /// the converter reports as the cause of its `DataException`.
    pub fn subject(self, topic: &str, is_key: bool, schema: &AvroSchema) -> Result<String> {
        let record_name = || match &schema.root_node().kind {
            Kind::Record(record) => Ok(record.name.full().to_string()),
            _ => {
                let (config, part) = if is_key {
                    ("key.subject.name.strategy", "key")
                } else {
                    ("value.subject.name.strategy", "value")
                };
                Err(ConnectError::runtime(
                    "org.apache.kafka.common.errors.SerializationException",
                    format!(
                        "In configuration {config} = {}, the message {part} must only be a record schema",
                        self.class_name()
                    ),
                ))
            }
        };
        Ok(match self {
            Self::TopicName => format!("{topic}-{}", if is_key { "key" } else { "value" }),
            Self::RecordName => record_name()?,
            Self::TopicRecordName => format!("{topic}-{}", record_name()?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strategies_name_subjects_like_confluent() {
        let record = AvroSchema::parse(
            r#"{"type":"record","name":"Customer","namespace":"com.example","fields":[]}"#,
        )
        .expect("parses");
        let string = AvroSchema::parse(r#""string""#).expect("parses");
        let topic = SubjectNameStrategy::TopicName;
        assert_eq!(
            topic.subject("t", false, &string).expect("named"),
            "t-value"
        );
        assert_eq!(topic.subject("t", true, &record).expect("named"), "t-key");
        let record_name = SubjectNameStrategy::from_class_name(
            "io.confluent.kafka.serializers.subject.RecordNameStrategy",
        )
        .expect("known");
        assert_eq!(
            record_name.subject("t", false, &record).expect("named"),
            "com.example.Customer"
        );
        let err = record_name
            .subject("t", true, &string)
            .expect_err("not a record");
        assert_eq!(err.simple_class(), "SerializationException");
        assert!(
            err.message()
                .contains("the message key must only be a record schema")
        );
        let topic_record =
            SubjectNameStrategy::from_class_name("TopicRecordNameStrategy").expect("known");
        assert_eq!(
            topic_record.subject("t", false, &record).expect("named"),
            "t-com.example.Customer"
        );
        assert_eq!(SubjectNameStrategy::from_class_name("Nope"), None);
    }
}
