//! The connector and task plugin traits.
//!
//! A connector is configuration plus a plugin that splits its work into task configs; tasks
//! do the copying. The traits follow Kafka Connect's `SourceConnector`/`SourceTask` and
//! `SinkConnector`/`SinkTask` life cycles (start, poll or put, commit/flush, stop) so a
//! connector author recognises them, but are async, because connectors do I/O, and take
//! plain data (string configs, [`ConnectRecord`]s, [`ConnectError`]s) so they can later run
//! out of process behind a gRPC plugin protocol.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;

use crate::config::Properties;
use crate::error::{ConnectError, Result};
use crate::record::{ConnectRecord, OffsetMap};

/// A partition of a Kafka topic.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicPartition {
    /// Topic name.
    pub topic: String,
    /// Partition number.
    pub partition: i32,
}

impl TopicPartition {
    /// A topic partition.
    pub fn new(topic: impl Into<String>, partition: i32) -> Self {
        Self {
            topic: topic.into(),
            partition,
        }
    }
}

impl fmt::Display for TopicPartition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", self.topic, self.partition)
    }
}

/// Whether a connector reads from an external system into Kafka or the other way round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConnectorType {
    /// External system -> Kafka.
    Source,
    /// Kafka -> external system.
    Sink,
}

impl fmt::Display for ConnectorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ConnectorType::Source => "source",
            ConnectorType::Sink => "sink",
        })
    }
}

/// What a running connector can ask of the runtime.
pub trait ConnectorContext: Send + Sync {
    /// The connector's view of its input changed (a new table, a new file): ask the runtime
    /// to call `task_configs` again and restart tasks whose configs changed.
    fn request_task_reconfiguration(&self);

    /// The connector hit an error it cannot recover from; the runtime marks it FAILED.
    fn raise_error(&self, error: ConnectError);
}

/// Behaviour shared by source and sink connectors.
#[async_trait]
pub trait Connector: Send + Sync {
    /// Starts the connector with its validated configuration.
    async fn start(
        &mut self,
        config: &Properties,
        context: Arc<dyn ConnectorContext>,
    ) -> Result<()>;

    /// Splits the work into at most `max_tasks` task configurations.
    fn task_configs(&self, max_tasks: usize) -> Result<Vec<Properties>>;

    /// Stops the connector; its tasks are stopped separately by the runtime.
    async fn stop(&mut self) -> Result<()>;
}

/// A connector that produces records into Kafka.
#[async_trait]
pub trait SourceConnector: Connector {
    /// Checks offsets a user wants to write for this connector (KIP-875) while it is
    /// STOPPED: `Ok(true)` if the connector understood and accepts them, `Ok(false)` if it
    /// has no opinion (they are written anyway), an error to reject them.
    async fn alter_offsets(
        &self,
        _config: &Properties,
        _offsets: &BTreeMap<String, Option<OffsetMap>>,
    ) -> Result<bool> {
        Ok(false)
    }
}

/// A connector that consumes records from Kafka.
#[async_trait]
pub trait SinkConnector: Connector {}

/// Reads the committed offset of a source partition, so a task resumes where it stopped.
pub trait OffsetReader: Send + Sync {
    /// The last committed offset for `partition`, if any.
    fn offset(&self, partition: &OffsetMap) -> Option<OffsetMap>;
}

/// What the runtime gives a source task.
#[derive(Clone)]
pub struct SourceTaskContext {
    /// Committed offsets of this connector's source partitions.
    pub offsets: Arc<dyn OffsetReader>,
}

impl fmt::Debug for SourceTaskContext {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SourceTaskContext").finish_non_exhaustive()
    }
}

/// Where Kafka stored a record a source task produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordMetadata {
    /// Topic written to.
    pub topic: String,
    /// Partition written to.
    pub partition: i32,
    /// Offset assigned by Kafka.
    pub offset: i64,
}

/// A task that reads from an external system.
#[async_trait]
pub trait SourceTask: Send {
    /// Starts the task with its configuration (one of the connector's `task_configs`).
    async fn start(&mut self, config: &Properties, context: SourceTaskContext) -> Result<()>;

    /// Returns the next records; an empty batch when nothing is available. Should return
    /// within about a second when idle, so that pause and stop requests are seen promptly.
    /// Each record carries its source partition and offset.
    async fn poll(&mut self) -> Result<Vec<ConnectRecord>>;

    /// Called after offsets up to the last acknowledged record were committed.
    async fn commit(&mut self) -> Result<()> {
        Ok(())
    }

    /// Whether the task wants [`SourceTask::commit_record`] calls. Only then does the
    /// runtime keep each record until Kafka acknowledges it, so tasks that do not need them
    /// cost nothing.
    fn commits_records(&self) -> bool {
        false
    }

    /// Called once Kafka acknowledged a record (`None` metadata when a transform dropped it),
    /// if [`SourceTask::commits_records`] says so.
    async fn commit_record(
        &mut self,
        _record: &ConnectRecord,
        _metadata: Option<&RecordMetadata>,
    ) -> Result<()> {
        Ok(())
    }

    /// Stops the task and releases its resources.
    async fn stop(&mut self) -> Result<()>;
}

/// What a sink task can ask of the runtime while it runs.
pub trait SinkTaskContext: Send + Sync {
    /// The partitions currently assigned to the task.
    fn assignment(&self) -> Vec<TopicPartition>;

    /// Rewinds or skips a partition: the next records delivered start at `offset`.
    fn reset_offset(&self, partition: TopicPartition, offset: i64);

    /// Stops delivering records of these partitions until resumed (back-pressure).
    fn pause(&self, partitions: &[TopicPartition]);

    /// Delivers records of these partitions again.
    fn resume(&self, partitions: &[TopicPartition]);

    /// Asks for a flush and offset commit as soon as possible.
    fn request_commit(&self);

    /// Reports one record the task cannot write, instead of failing the whole batch (Kafka's
    /// `ErrantRecordReporter`, KIP-610). Under the connector's `errors.*` settings the
    /// record is logged and/or written to the dead letter queue with its original bytes,
    /// and its offset is committed like the others'. Returns an error when the settings do
    /// not allow skipping it (`errors.tolerance=none`, or neither a dead letter queue nor
    /// error logging is configured); the task should then fail its `put` with that error.
    fn report_errant(&self, record: &ConnectRecord, error: ConnectError) -> Result<()> {
        let _ = record;
        Err(ConnectError::connect(format!(
            "No errant record reporter is configured; the record failed with: {error}"
        )))
    }
}

/// Offsets by partition: for a sink, the next offset to consume in each partition.
pub type PartitionOffsets = BTreeMap<TopicPartition, i64>;

/// A task that writes to an external system.
#[async_trait]
pub trait SinkTask: Send {
    /// Starts the task with its configuration.
    async fn start(&mut self, config: &Properties, context: Arc<dyn SinkTaskContext>)
    -> Result<()>;

    /// Partitions were assigned to the task (open writers, etc.).
    async fn open(&mut self, _partitions: &[TopicPartition]) -> Result<()> {
        Ok(())
    }

    /// Writes records. A [`ConnectError::Retriable`] makes the runtime pause, back off and
    /// deliver the same batch again; any other error fails the task. The batch is lent, not
    /// given, so the runtime can retry it without copying every batch up front.
    async fn put(&mut self, records: &[ConnectRecord]) -> Result<()>;

    /// Makes everything `put` so far durable; `offsets` are the positions that will be
    /// committed once this returns.
    async fn flush(&mut self, offsets: &PartitionOffsets) -> Result<()>;

    /// Flushes and returns the offsets safe to commit (by default: all of `offsets`).
    async fn pre_commit(&mut self, offsets: &PartitionOffsets) -> Result<PartitionOffsets> {
        self.flush(offsets).await?;
        Ok(offsets.clone())
    }

    /// Partitions were revoked from the task.
    async fn close(&mut self, _partitions: &[TopicPartition]) -> Result<()> {
        Ok(())
    }

    /// Stops the task and releases its resources.
    async fn stop(&mut self) -> Result<()>;
}
