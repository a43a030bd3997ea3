//! The dead letter queue of a sink connector: failed records, byte for byte, in a topic.
//!
//! As in Kafka Connect, a record keeps its original key, value and headers so it can be
//! inspected and replayed; with `errors.deadletterqueue.context.headers.enable` it also gets
//! `__connect.errors.*` headers saying where it came from and why it failed. Writes are
//! acknowledged before the consumer offsets of the failed records are committed, so a
//! record that reached neither the sink nor the dead letter queue is consumed again.

use std::time::Duration;

use connect_core::ConnectError;
use connect_core::config::Properties;
use rdkafka::ClientConfig;
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{FutureProducer, FutureRecord};

use super::config::ErrorHandlingConfig;
use super::metrics::ErrorCounters;
use super::report::ErrorReport;
use crate::topics::TopicCreator;

/// Prefix of every context header.
const HEADER_PREFIX: &str = "__connect.errors.";

/// A sink task's dead letter queue producer.
pub(crate) struct DeadLetterQueue {
    producer: FutureProducer,
    topic: String,
    context_headers: bool,
    connector: String,
    task_id: u32,
}

impl std::fmt::Debug for DeadLetterQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeadLetterQueue")
            .field("topic", &self.topic)
            .finish_non_exhaustive()
    }
}

impl DeadLetterQueue {
    /// Opens the producer and creates the topic (one partition, the configured replication
    /// factor) when it does not exist. `None` when no dead letter queue is configured.
    pub(crate) async fn open(
        config: &ErrorHandlingConfig,
        producer_config: &ClientConfig,
        admin_config: ClientConfig,
        connector: &str,
        task_id: u32,
    ) -> Result<Option<Self>, ConnectError> {
        let Some(topic) = &config.dlq_topic else {
            return Ok(None);
        };
        let mut producer_config = producer_config.clone();
        producer_config.set(
            "client.id",
            format!("connector-dlq-producer-{connector}-{task_id}"),
        );
        // The topic is created below with one partition, as Kafka Connect does, so the
        // dead letter queue keeps the order of failures (the producer defaults keep a
        // metadata request from letting the broker create it first).
        let producer: FutureProducer = producer_config.create().map_err(|e| {
            ConnectError::connect(format!(
                "Could not initialize dead letter queue with topic={topic}: {e}"
            ))
        })?;
        let mut creation = Properties::new();
        creation.insert("topic.creation.default.partitions".into(), "1".into());
        creation.insert(
            "topic.creation.default.replication.factor".into(),
            config.dlq_replication_factor.to_string(),
        );
        TopicCreator::new(admin_config, &creation)
            .ensure(&producer, topic)
            .await
            .map_err(|e| {
                ConnectError::connect(format!(
                    "Could not initialize dead letter queue with topic={topic}: {}",
                    e.message()
                ))
            })?;
        Ok(Some(Self {
            producer,
            topic: topic.clone(),
            context_headers: config.dlq_context_headers,
            connector: connector.to_string(),
            task_id,
        }))
    }

    /// Writes one failed record and waits for Kafka's acknowledgement. Source records
    /// (without an original consumed record) are not written, as in Kafka Connect.
    pub(crate) async fn send(
        &self,
        report: &ErrorReport,
        counters: &ErrorCounters,
    ) -> Result<(), ConnectError> {
        let Some(original) = &report.original else {
            return Ok(());
        };
        counters.record_dlq_request();
        let mut headers = OwnedHeaders::new_with_capacity(original.headers.len() + 10);
        for (key, value) in &original.headers {
            headers = headers.insert(Header {
                key,
                value: value.as_deref(),
            });
        }
        if self.context_headers {
            for (name, value) in self.context_headers(report) {
                headers = headers.insert(Header {
                    key: &format!("{HEADER_PREFIX}{name}"),
                    value: Some(value.as_bytes()),
                });
            }
        }
        let mut record: FutureRecord<'_, [u8], [u8]> =
            FutureRecord::to(&self.topic).headers(headers);
        if let Some(key) = original.key.as_deref() {
            record = record.key(key);
        }
        if let Some(value) = original.value.as_deref() {
            record = record.payload(value);
        }
        match self.producer.send(record, Duration::from_secs(30)).await {
            Ok(_) => Ok(()),
            Err((e, _)) => {
                counters.record_dlq_failure();
                Err(ConnectError::connect(format!(
                    "Could not produce a record to the dead letter queue topic {}: {e}",
                    self.topic
                )))
            }
        }
    }

    /// The `__connect.errors.*` headers of a failure, in Kafka Connect's order and format
    /// (numbers as decimal text).
    fn context_headers(&self, report: &ErrorReport) -> Vec<(&'static str, String)> {
        let mut headers = Vec::with_capacity(10);
        if let Some(original) = &report.original {
            headers.push(("topic", original.topic.clone()));
            headers.push(("partition", original.partition.to_string()));
            headers.push(("offset", original.offset.to_string()));
        }
        headers.push(("connector.name", self.connector.clone()));
        headers.push(("task.id", self.task_id.to_string()));
        headers.push(("stage", report.stage.name().to_string()));
        headers.push(("class.name", report.class_name.clone()));
        headers.push((
            "exception.class.name",
            report.error.java_class().to_string(),
        ));
        headers.push(("exception.message", report.error.message().to_string()));
        headers.push(("exception.stacktrace", report.error_trace()));
        headers
    }
}
