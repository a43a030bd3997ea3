//! Runs one source task: poll -> transforms -> converters -> producer, with offsets
//! committed only for records Kafka has acknowledged.
//!
//! Every record handed to the producer gets a sequence number and waits in order in the
//! [`OffsetTracker`]. Kafka's acknowledgements arrive through the producer's delivery
//! callback (one channel message per record, no future per record); as the oldest records
//! are acknowledged, the latest offset of each source partition among them becomes
//! committable, and at every flush (`offset.flush.interval.ms`, and on stop) those offsets
//! are written to the offset store. So a restart never skips a record that did not make it
//! into Kafka, and memory holds only records still in flight. Back-pressure: when too many
//! records are in flight, or librdkafka's queue is full, the task is not polled until
//! acknowledgements catch up.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use connect_core::connector::{RecordMetadata, SourceTask, SourceTaskContext};
use connect_core::record::{OffsetMap, RecordOrigin, SourcePartition};
use connect_core::{ConnectError, ConnectRecord, Converter, Headers, Schema, Value};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{DeliveryResult, Header, Message, OwnedHeaders};
use rdkafka::producer::{BaseRecord, ProducerContext, ThreadedProducer};
use rdkafka::{ClientConfig, ClientContext};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::errors::{ErrorReport, RetryTimeout, Stage};
use crate::offsets::{ConnectorOffsets, OffsetStore};
use crate::status::State;
use crate::task_common::{TaskEnv, TaskTarget, describe, stage_failure};
use crate::topics::TopicCreator;
use crate::transform_step::{StageFailure, transform_with_retries};

/// The class Kafka Connect names for records Kafka refused (`KAFKA_PRODUCE` stage).
const PRODUCER_CLASS: &str = "org.apache.kafka.clients.producer.KafkaProducer";
/// Most records waiting for acknowledgement before the task stops being polled.
const MAX_IN_FLIGHT: usize = 100_000;

/// What the delivery callback reports for one record: its sequence number, and where Kafka
/// stored it or why it did not.
struct Delivered {
    seq: u64,
    outcome: Result<(i32, i64), String>,
}

/// The producer's context: forwards every delivery report to the task's channel.
struct DeliveryReports {
    sender: mpsc::UnboundedSender<Delivered>,
}

impl ClientContext for DeliveryReports {}

impl ProducerContext for DeliveryReports {
    type DeliveryOpaque = usize;

    fn delivery(&self, result: &DeliveryResult<'_>, seq: usize) {
        let outcome = match result {
            Ok(message) => Ok((message.partition(), message.offset())),
            Err((e, message)) => Err(format!("Delivery to topic {} failed: {e}", message.topic())),
        };
        // The receiver is gone only when the task has ended; the report no longer matters.
        let _ = self.sender.send(Delivered {
            seq: seq as u64,
            outcome,
        });
    }
}

type Producer = ThreadedProducer<DeliveryReports>;

/// A record handed to the producer, remembered until everything before it is acknowledged.
struct Pending {
    /// Index of its source partition in [`OffsetTracker::partitions`].
    partition: Option<usize>,
    offset: Option<OffsetMap>,
    acked: bool,
    /// The record as polled and its destination topic, for `commit_record`.
    original: Option<(Box<ConnectRecord>, String)>,
}

/// Records in submission order, and the offsets that their acknowledgement made committable.
#[derive(Default)]
struct OffsetTracker {
    /// Sequence number of the first entry of `pending`.
    first_seq: u64,
    pending: VecDeque<Pending>,
    /// Source partitions seen, found again by identity (tasks share one `Arc` per partition).
    partitions: Vec<SourcePartition>,
    last_partition: Option<usize>,
    /// Per partition, the latest offset of an acknowledged prefix not yet written.
    committable: Vec<Option<OffsetMap>>,
}

impl OffsetTracker {
    fn partition_index(&mut self, partition: &SourcePartition) -> usize {
        if let Some(i) = self.last_partition
            && Arc::ptr_eq(&self.partitions[i], partition)
        {
            return i;
        }
        let index = match self
            .partitions
            .iter()
            .position(|p| Arc::ptr_eq(p, partition) || **p == **partition)
        {
            Some(i) => i,
            None => {
                self.partitions.push(partition.clone());
                self.committable.push(None);
                self.partitions.len() - 1
            }
        };
        self.last_partition = Some(index);
        index
    }

    /// Remembers a record; returns its sequence number.
    fn submit(
        &mut self,
        partition: Option<&SourcePartition>,
        offset: Option<OffsetMap>,
        original: Option<(Box<ConnectRecord>, String)>,
    ) -> u64 {
        let partition = partition.map(|p| self.partition_index(p));
        self.pending.push_back(Pending {
            partition,
            offset,
            acked: false,
            original,
        });
        self.first_seq + self.pending.len() as u64 - 1
    }

    /// Marks a record acknowledged and releases the acknowledged prefix; returns the
    /// record's original if it was kept for `commit_record`.
    fn ack(&mut self, seq: u64) -> Option<(Box<ConnectRecord>, String)> {
        let index = seq.checked_sub(self.first_seq)? as usize;
        let entry = self.pending.get_mut(index)?;
        entry.acked = true;
        let original = entry.original.take();
        while self.pending.front().is_some_and(|p| p.acked) {
            if let Some(done) = self.pending.pop_front() {
                self.first_seq += 1;
                if let (Some(partition), Some(offset)) = (done.partition, done.offset) {
                    self.committable[partition] = Some(offset);
                }
            }
        }
        original
    }

    /// Records not yet released (in flight, or acknowledged behind one that is not).
    fn in_flight(&self) -> usize {
        self.pending.len()
    }

    /// Takes the offsets that became committable since the last call.
    fn take_committable(&mut self) -> Vec<(OffsetMap, Option<OffsetMap>)> {
        self.partitions
            .iter()
            .zip(self.committable.iter_mut())
            .filter_map(|(partition, offset)| {
                offset.take().map(|o| ((**partition).clone(), Some(o)))
            })
            .collect()
    }
}

/// Converts with a converter's synchronous form when it has one (no future per record).
async fn to_bytes(
    converter: &Arc<dyn Converter>,
    topic: &str,
    headers: &mut Headers,
    schema: Option<&Schema>,
    value: Value,
) -> Result<Option<Vec<u8>>, ConnectError> {
    match converter.as_sync() {
        Some(sync) => sync.serialize_owned(schema, value),
        None => {
            converter
                .from_connect_data(topic, headers, schema, &value)
                .await
        }
    }
}

type Failure = (String, ConnectError);

/// A record ready for the producer.
struct Prepared {
    record: ConnectRecord,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Option<OwnedHeaders>,
}

/// Kafka Connect's short description of a source record, for error logs.
fn describe_source_record(record: &ConnectRecord) -> String {
    let (partition, offset) = match &record.origin {
        RecordOrigin::Source { partition, offset } => (
            partition
                .as_deref()
                .map(|p| serde_json::Value::Object(p.clone())),
            offset.clone().map(serde_json::Value::Object),
        ),
        RecordOrigin::Sink { .. } => (None, None),
    };
    let json = |v: Option<serde_json::Value>| v.map_or("null".to_string(), |v| v.to_string());
    format!(
        "SourceRecord{{sourcePartition={}, sourceOffset={}}} ConnectRecord{{topic='{}', kafkaPartition={}, timestamp={}}}",
        json(partition),
        json(offset),
        record.topic,
        record
            .kafka_partition
            .map_or("null".to_string(), |p| p.to_string()),
        record
            .timestamp
            .map_or("null".to_string(), |t| t.to_string()),
    )
}

/// A source record failed for good: skipped (`Ok(None)`) when errors are tolerated,
/// otherwise the task fails.
fn skip_or_fail<T>(
    env: &TaskEnv,
    failure: StageFailure,
    described: Option<String>,
) -> Result<Option<T>, Failure> {
    let report = failure.into_report(None, described);
    let context = format!(
        "{} ({})",
        stage_failure(report.stage),
        report.context(false)
    );
    env.errors
        .failed(report)
        .map(|_| None)
        .map_err(|fatal| (context, fatal))
}

/// Executes one source task until it is stopped or fails.
pub(crate) struct SourceTaskExecutor {
    env: TaskEnv,
    task: Box<dyn SourceTask>,
    offsets: Arc<dyn OffsetStore>,
    tracker: OffsetTracker,
    reports: mpsc::UnboundedReceiver<Delivered>,
    report_sender: Option<mpsc::UnboundedSender<Delivered>>,
    last_flush: Instant,
    commits_records: bool,
    topics: TopicCreator,
}

impl SourceTaskExecutor {
    pub(crate) fn new(
        env: TaskEnv,
        task: Box<dyn SourceTask>,
        offsets: Arc<dyn OffsetStore>,
    ) -> Self {
        let commits_records = task.commits_records();
        let admin_config = crate::kafka::client_config(
            crate::kafka::ClientKind::Admin,
            &env.bootstrap_servers,
            &env.worker_props,
            &env.connector_config,
            &[],
        );
        let topics = TopicCreator::new(admin_config, &env.connector_config);
        let (report_sender, reports) = mpsc::unbounded_channel();
        Self {
            env,
            task,
            offsets,
            tracker: OffsetTracker::default(),
            reports,
            report_sender: Some(report_sender),
            last_flush: Instant::now(),
            commits_records,
            topics,
        }
    }

    fn create_producer(&mut self, config: &ClientConfig) -> Result<Producer, Failure> {
        let sender = self.report_sender.take().ok_or_else(|| {
            (
                "Creating the Kafka producer failed".to_string(),
                ConnectError::connect("producer already created"),
            )
        })?;
        config
            .create_with_context(DeliveryReports { sender })
            .map_err(|e| {
                (
                    "Creating the Kafka producer failed".to_string(),
                    ConnectError::connect(e.to_string()),
                )
            })
    }

    /// Runs the task; returns when it is stopped or has failed (its status says which).
    pub(crate) async fn run(mut self) {
        if !self.env.wait_for_kafka().await {
            return;
        }
        let client_config = self.env.client_config.clone();
        let producer = match self.create_producer(&client_config) {
            Ok(p) => p,
            Err((context, e)) => {
                self.env.fail(&context, &e);
                return;
            }
        };
        let context = SourceTaskContext {
            offsets: Arc::new(ConnectorOffsets::new(
                self.offsets.clone(),
                self.env.connector.clone(),
            )),
        };
        if let Err(e) = self.task.start(&self.env.task_config, context).await {
            self.env.fail("Source task failed to start", &e);
            return;
        }
        info!(connector = %self.env.connector, task = self.env.task_id, "Source task started.");
        let outcome = self.copy_until_stopped(&producer).await;
        let drained = self.drain(self.env.flush_timeout).await;
        if let Err(e) = self.flush_offsets().await {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Final offset flush failed.");
        }
        if let Err(e) = self.task.stop().await {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Source task failed to stop cleanly.");
        }
        match outcome {
            Ok(()) => {
                if !drained {
                    warn!(connector = %self.env.connector, task = self.env.task_id, "Stopped with records still unacknowledged; they will be produced again after a restart.");
                }
                info!(connector = %self.env.connector, task = self.env.task_id, "Source task stopped.");
            }
            Err((context, e)) => self.env.fail(&context, &e),
        }
    }

    async fn copy_until_stopped(&mut self, producer: &Producer) -> Result<(), Failure> {
        let mut paused = false;
        self.env.set_state(State::Running, None);
        loop {
            match self.env.target() {
                TaskTarget::Stopped => return Ok(()),
                TaskTarget::Paused => {
                    if !paused {
                        paused = true;
                        self.env.set_state(State::Paused, None);
                    }
                    self.wait_for_reports(Duration::from_millis(200)).await?;
                    self.maybe_flush().await?;
                    continue;
                }
                TaskTarget::Running if paused => {
                    paused = false;
                    self.env.set_state(State::Running, None);
                }
                TaskTarget::Running => {}
            }
            if self.tracker.in_flight() >= MAX_IN_FLIGHT {
                self.wait_for_reports(Duration::from_millis(100)).await?;
                continue;
            }
            let records = match self.task.poll().await {
                Ok(records) => records,
                Err(e) if e.is_retriable() => {
                    debug!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Retriable poll failure.");
                    self.wait_for_reports(Duration::from_millis(100)).await?;
                    continue;
                }
                Err(e) => return Err(("Source task poll failed".to_string(), e)),
            };
            for record in records {
                self.send(producer, record).await?;
            }
            self.take_reports().await?;
            self.maybe_flush().await?;
        }
    }

    /// Transforms, converts and hands one record to the producer.
    async fn send(&mut self, producer: &Producer, record: ConnectRecord) -> Result<(), Failure> {
        let original = self.commits_records.then(|| Box::new(record.clone()));
        let (partition, offset) = match &record.origin {
            RecordOrigin::Source { partition, offset } => (partition.clone(), offset.clone()),
            RecordOrigin::Sink { .. } => (None, None),
        };
        let Some(Prepared {
            record,
            key,
            value,
            headers,
        }) = self.prepare(record).await?
        else {
            // Dropped by a transform, or skipped after a tolerated error: nothing to wait
            // for, its offset is done at once.
            let seq = self.tracker.submit(partition.as_ref(), offset, None);
            self.tracker.ack(seq);
            if let Some(original) = original {
                self.task
                    .commit_record(&original, None)
                    .await
                    .map_err(|e| ("commit_record failed".to_string(), e))?;
            }
            return Ok(());
        };
        if let Err(e) = self.topics.ensure(producer, &record.topic).await {
            return Err((format!("Topic {} is not available", record.topic), e));
        }
        let original = original.map(|o| (o, record.topic.clone()));
        let seq = self.tracker.submit(partition.as_ref(), offset, original);
        let mut base: BaseRecord<'_, [u8], [u8], usize> =
            BaseRecord::with_opaque_to(&record.topic, seq as usize);
        if let Some(key) = key.as_deref() {
            base = base.key(key);
        }
        if let Some(value) = value.as_deref() {
            base = base.payload(value);
        }
        if let Some(headers) = headers {
            base = base.headers(headers);
        }
        if let Some(partition) = record.kafka_partition {
            base = base.partition(partition);
        }
        if let Some(timestamp) = record.timestamp {
            base = base.timestamp(timestamp);
        }
        loop {
            match producer.send(base) {
                Ok(()) => return Ok(()),
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                    // librdkafka's queue is full: wait for deliveries before retrying.
                    base = returned;
                    self.wait_for_reports(Duration::from_millis(50)).await?;
                }
                Err((e, _)) => {
                    return Err((
                        "Producing the record failed".to_string(),
                        ConnectError::connect(format!(
                            "Cannot send a record to topic {}: {e}",
                            record.topic
                        )),
                    ));
                }
            }
        }
    }

    /// Runs the transformations and converters on a record under the connector's error
    /// handling. `None` when a transformation dropped the record or a tolerated error
    /// skipped it; an error when a failure is not tolerated.
    async fn prepare(&mut self, record: ConnectRecord) -> Result<Option<Prepared>, Failure> {
        let described = self
            .env
            .errors
            .config()
            .log_include_messages
            .then(|| describe_source_record(&record));
        // Only retries look at the target state: no per-record cost without them.
        let control = (self.env.errors.config().retry_timeout != RetryTimeout::Never)
            .then(|| self.env.control.clone());
        let stopping = move || {
            control
                .as_ref()
                .is_some_and(|c| *c.borrow() == TaskTarget::Stopped)
        };
        let env = &mut self.env;
        let mut record = if env.transforms.is_empty() {
            record
        } else {
            match transform_with_retries(&mut env.transforms, &env.errors, &stopping, record).await
            {
                Ok(Some(record)) => record,
                Ok(None) => return Ok(None),
                Err(failure) => return skip_or_fail(env, failure, described),
            }
        };
        let mut converted = [None, None];
        for (slot, stage) in converted
            .iter_mut()
            .zip([Stage::KeyConverter, Stage::ValueConverter])
        {
            let (converter, class_name, schema, value) = match stage {
                Stage::KeyConverter => (
                    &env.converters.key,
                    &env.converters.class_names.key,
                    record.key_schema.as_ref(),
                    std::mem::take(&mut record.key),
                ),
                _ => (
                    &env.converters.value,
                    &env.converters.class_names.value,
                    record.value_schema.as_ref(),
                    std::mem::take(&mut record.value),
                ),
            };
            let result = if env.errors.config().retry_timeout == RetryTimeout::Never {
                to_bytes(converter, &record.topic, &mut record.headers, schema, value).await
            } else {
                let topic = record.topic.as_str();
                let headers = &record.headers;
                let result = env
                    .errors
                    .retrying(&stopping, || {
                        let mut headers = headers.clone();
                        let value = value.clone();
                        async move {
                            to_bytes(converter, topic, &mut headers, schema, value)
                                .await
                                .map(|bytes| (bytes, headers))
                        }
                    })
                    .await;
                result.map(|(bytes, headers)| {
                    record.headers = headers;
                    bytes
                })
            };
            match result {
                Ok(bytes) => *slot = Some(bytes),
                Err(error) => {
                    let failure = StageFailure {
                        stage,
                        class_name: class_name.clone(),
                        error,
                    };
                    return skip_or_fail(env, failure, described);
                }
            }
        }
        let [key, value] = converted;
        let headers = if record.headers.is_empty() {
            None
        } else {
            let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
            for header in &record.headers {
                let bytes = match env.converters.header.from_connect_header(
                    &record.topic,
                    &header.key,
                    header.schema.as_ref(),
                    &header.value,
                ) {
                    Ok(bytes) => bytes,
                    Err(error) => {
                        let failure = StageFailure {
                            stage: Stage::HeaderConverter,
                            class_name: env.converters.class_names.header.clone(),
                            error,
                        };
                        return skip_or_fail(env, failure, described);
                    }
                };
                headers = headers.insert(Header {
                    key: &header.key,
                    value: bytes.as_deref(),
                });
            }
            Some(headers)
        };
        Ok(Some(Prepared {
            record,
            key: key.flatten(),
            value: value.flatten(),
            headers,
        }))
    }

    /// Processes the delivery reports that are already in.
    async fn take_reports(&mut self) -> Result<(), Failure> {
        while let Ok(report) = self.reports.try_recv() {
            self.handle_report(report).await?;
        }
        Ok(())
    }

    /// Waits up to `wait` for at least one delivery report, then takes all ready ones.
    async fn wait_for_reports(&mut self, wait: Duration) -> Result<(), Failure> {
        if self.tracker.in_flight() == 0 {
            tokio::time::sleep(wait).await;
            return Ok(());
        }
        if let Ok(Some(report)) = tokio::time::timeout(wait, self.reports.recv()).await {
            self.handle_report(report).await?;
        }
        self.take_reports().await
    }

    async fn handle_report(&mut self, report: Delivered) -> Result<(), Failure> {
        match report.outcome {
            Ok((partition, offset)) => {
                if let Some((original, topic)) = self.tracker.ack(report.seq) {
                    let metadata = RecordMetadata {
                        topic,
                        partition,
                        offset,
                    };
                    self.task
                        .commit_record(&original, Some(&metadata))
                        .await
                        .map_err(|e| ("commit_record failed".to_string(), e))?;
                }
                Ok(())
            }
            Err(reason) => {
                // As in Kafka Connect, a record Kafka refused for good is skipped when errors
                // are tolerated (its offset then counts as done), else the task fails.
                let failed = ErrorReport {
                    stage: Stage::KafkaProduce,
                    class_name: PRODUCER_CLASS.to_string(),
                    error: ConnectError::connect(reason),
                    original: None,
                    source_record: None,
                };
                let context = format!("Kafka did not accept a record ({})", failed.context(false));
                self.env
                    .errors
                    .failed(failed)
                    .map_err(|fatal| (context, fatal))?;
                if let Some((original, _)) = self.tracker.ack(report.seq) {
                    self.task
                        .commit_record(&original, None)
                        .await
                        .map_err(|e| ("commit_record failed".to_string(), e))?;
                }
                Ok(())
            }
        }
    }

    /// Waits for every outstanding acknowledgement, at most `timeout`; true if all came.
    async fn drain(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.tracker.in_flight() > 0 {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            match tokio::time::timeout(deadline - now, self.reports.recv()).await {
                Ok(Some(report)) => {
                    if let Err((context, e)) = self.handle_report(report).await {
                        warn!(connector = %self.env.connector, task = self.env.task_id, error = %describe(&context, &e), "Record failed while stopping.");
                    }
                }
                Ok(None) | Err(_) => break,
            }
        }
        self.tracker.in_flight() == 0
    }

    async fn maybe_flush(&mut self) -> Result<(), Failure> {
        if self.last_flush.elapsed() < self.env.flush_interval {
            return Ok(());
        }
        self.flush_offsets().await.map_err(|e| {
            (
                "Writing source offsets failed".to_string(),
                ConnectError::connect(e.to_string()),
            )
        })
    }

    async fn flush_offsets(&mut self) -> Result<(), crate::error::RuntimeError> {
        self.last_flush = Instant::now();
        let updates = self.tracker.take_committable();
        if updates.is_empty() {
            return Ok(());
        }
        let count = updates.len();
        self.offsets.write(&self.env.connector, updates).await?;
        debug!(connector = %self.env.connector, task = self.env.task_id, partitions = count, "Source offsets committed.");
        if let Err(e) = self.task.commit().await {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Source task commit hook failed.");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: serde_json::Value) -> OffsetMap {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn only_acknowledged_prefixes_become_committable() {
        let mut tracker = OffsetTracker::default();
        let a = SourcePartition::new(map(json!({"file": "a"})));
        let b = SourcePartition::new(map(json!({"file": "b"})));
        let a1 = tracker.submit(Some(&a), Some(map(json!({"pos": 1}))), None);
        let a2 = tracker.submit(Some(&a), Some(map(json!({"pos": 2}))), None);
        let b1 = tracker.submit(Some(&b), Some(map(json!({"pos": 10}))), None);
        let a3 = tracker.submit(Some(&a), None, None);
        tracker.ack(a2);
        tracker.ack(b1);
        tracker.ack(a3);
        // a1 is not acknowledged: nothing after it may be committed yet.
        assert!(tracker.take_committable().is_empty());
        assert_eq!(tracker.in_flight(), 4);
        tracker.ack(a1);
        let mut committable = tracker.take_committable();
        committable.sort_by_key(|(p, _)| serde_json::to_string(p).unwrap_or_default());
        // a3 carries no offset: a's latest is a2's.
        assert_eq!(
            committable,
            vec![
                (map(json!({"file": "a"})), Some(map(json!({"pos": 2})))),
                (map(json!({"file": "b"})), Some(map(json!({"pos": 10}))))
            ]
        );
        assert!(tracker.take_committable().is_empty());
        assert_eq!(tracker.in_flight(), 0);
    }

    #[test]
    fn partitions_are_recognised_by_identity_or_content() {
        let mut tracker = OffsetTracker::default();
        let shared = SourcePartition::new(map(json!({"task": 0})));
        let equal_copy = SourcePartition::new(map(json!({"task": 0})));
        let s1 = tracker.submit(Some(&shared), Some(map(json!({"seq": 1}))), None);
        let s2 = tracker.submit(Some(&equal_copy), Some(map(json!({"seq": 2}))), None);
        tracker.ack(s1);
        tracker.ack(s2);
        assert_eq!(tracker.partitions.len(), 1);
        assert_eq!(
            tracker.take_committable(),
            vec![(map(json!({"task": 0})), Some(map(json!({"seq": 2}))))]
        );
    }

    #[test]
    fn records_without_partition_only_count_in_flight() {
        let mut tracker = OffsetTracker::default();
        let s = tracker.submit(None, None, None);
        assert_eq!(tracker.in_flight(), 1);
        tracker.ack(s);
        assert_eq!(tracker.in_flight(), 0);
        assert!(tracker.take_committable().is_empty());
    }
}
