//! Runs one sink task: consumer -> converters -> transforms -> `put` -> `flush` -> commit.
//!
//! The consumer belongs to the group `connect-<connector>`. Offsets are committed only for
//! records the task has flushed (`pre_commit`), every `offset.flush.interval.ms`, on
//! request, when partitions are revoked and on stop: after a crash, records are delivered
//! again rather than lost (at-least-once). A `put` that fails with a retriable error pauses
//! every assigned partition, keeps the consumer alive, and retries the same batch with
//! exponential backoff; any other failure fails the task with its cause in the status.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_core::config::originals_with_prefix;
use connect_core::connector::{PartitionOffsets, SinkTask, SinkTaskContext, TopicPartition};
use connect_core::record::{RecordOrigin, TimestampType};
use connect_core::{ConnectError, ConnectRecord, Headers, SchemaAndValue};
use futures::FutureExt;
use futures::stream::StreamExt;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::message::{BorrowedMessage, Headers as _, Message, Timestamp};
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::connector_config::{sink_topics, sink_topics_regex};
use crate::status::State;
use crate::task_common::{TaskEnv, TaskTarget, describe};

/// Records handed to `put` at once when nothing says otherwise (Kafka's `max.poll.records`).
const DEFAULT_MAX_POLL_RECORDS: usize = 500;
/// Longest wait between retries of a failing `put`.
const MAX_RETRY_BACKOFF: Duration = Duration::from_secs(10);

/// State shared between the task loop, the rebalance callbacks and the task's context.
#[derive(Default)]
struct Shared {
    assignment: BTreeSet<TopicPartition>,
    newly_assigned: Vec<TopicPartition>,
    revoked: Vec<TopicPartition>,
    /// Offsets the task has flushed and that may be committed.
    committable: PartitionOffsets,
    resets: Vec<(TopicPartition, i64)>,
    pause_requests: Vec<TopicPartition>,
    resume_requests: Vec<TopicPartition>,
    commit_requested: bool,
}

type SharedState = Arc<Mutex<Shared>>;

fn lock(shared: &SharedState) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(|p| p.into_inner())
}

fn to_list(offsets: &PartitionOffsets) -> TopicPartitionList {
    let mut list = TopicPartitionList::new();
    for (tp, offset) in offsets {
        // Adding a partition can only fail for an invalid offset, which these are not.
        let _ = list.add_partition_offset(&tp.topic, tp.partition, Offset::Offset(*offset));
    }
    list
}

fn partitions_of(list: &TopicPartitionList) -> Vec<TopicPartition> {
    list.elements()
        .iter()
        .map(|e| TopicPartition::new(e.topic(), e.partition()))
        .collect()
}

/// Consumer callbacks: commit what was flushed before partitions are revoked, and record
/// assignments for the task loop to open/close.
struct SinkConsumerContext {
    shared: SharedState,
    connector: String,
}

impl ClientContext for SinkConsumerContext {}

impl ConsumerContext for SinkConsumerContext {
    fn pre_rebalance(&self, consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Revoke(list) = rebalance {
            let revoked = partitions_of(list);
            let mut shared = lock(&self.shared);
            let flushed: PartitionOffsets = shared
                .committable
                .iter()
                .filter(|(tp, _)| revoked.contains(tp))
                .map(|(tp, o)| (tp.clone(), *o))
                .collect();
            if !flushed.is_empty()
                && let Err(e) = consumer.commit(&to_list(&flushed), CommitMode::Sync)
            {
                warn!(connector = %self.connector, error = %e, "Commit before rebalance failed; records may be delivered again.");
            }
            for tp in &revoked {
                shared.assignment.remove(tp);
                shared.committable.remove(tp);
            }
            shared.revoked.extend(revoked);
        }
    }

    fn post_rebalance(&self, _consumer: &BaseConsumer<Self>, rebalance: &Rebalance<'_>) {
        if let Rebalance::Assign(list) = rebalance {
            let assigned = partitions_of(list);
            let mut shared = lock(&self.shared);
            shared.assignment.extend(assigned.iter().cloned());
            shared.newly_assigned.extend(assigned);
        }
    }
}

/// The task's view of the runtime (Kafka's `SinkTaskContext`).
struct RuntimeSinkContext {
    shared: SharedState,
}

impl SinkTaskContext for RuntimeSinkContext {
    fn assignment(&self) -> Vec<TopicPartition> {
        lock(&self.shared).assignment.iter().cloned().collect()
    }

    fn reset_offset(&self, partition: TopicPartition, offset: i64) {
        lock(&self.shared).resets.push((partition, offset));
    }

    fn pause(&self, partitions: &[TopicPartition]) {
        lock(&self.shared)
            .pause_requests
            .extend_from_slice(partitions);
    }

    fn resume(&self, partitions: &[TopicPartition]) {
        lock(&self.shared)
            .resume_requests
            .extend_from_slice(partitions);
    }

    fn request_commit(&self) {
        lock(&self.shared).commit_requested = true;
    }
}

/// A consumed record, owned, before conversion.
struct RawRecord {
    topic: String,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
    timestamp_type: TimestampType,
    key: Option<Vec<u8>>,
    value: Option<Vec<u8>>,
    headers: Vec<(String, Option<Vec<u8>>)>,
}

impl RawRecord {
    fn from_message(message: &BorrowedMessage<'_>) -> Self {
        let (timestamp, timestamp_type) = timestamp_of(message);
        let headers = message
            .headers()
            .map(|hs| {
                hs.iter()
                    .map(|h| (h.key.to_string(), h.value.map(<[u8]>::to_vec)))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            topic: message.topic().to_string(),
            partition: message.partition(),
            offset: message.offset(),
            timestamp,
            timestamp_type,
            key: message.key().map(<[u8]>::to_vec),
            value: message.payload().map(<[u8]>::to_vec),
            headers,
        }
    }
}

/// Executes one sink task until it is stopped or fails.
pub(crate) struct SinkTaskExecutor {
    env: TaskEnv,
    task: Box<dyn SinkTask>,
    shared: SharedState,
    /// Next offset to consume, per partition, for records already `put`.
    current: PartitionOffsets,
    /// Partitions paused by the target state, the task, or a retry.
    paused: BTreeSet<TopicPartition>,
    /// What the last commit covered, to skip commits that would change nothing.
    last_committed: PartitionOffsets,
    last_commit: Instant,
    max_batch: usize,
    /// Whether key and value converters are synchronous (the fast path).
    sync_conversion: bool,
}

type Failure = (String, ConnectError);

impl SinkTaskExecutor {
    pub(crate) fn new(env: TaskEnv, task: Box<dyn SinkTask>) -> Self {
        let from_connector = originals_with_prefix(&env.connector_config, "consumer.override.");
        let from_worker = originals_with_prefix(&env.worker_props, "consumer.");
        let max_batch = from_connector
            .get("max.poll.records")
            .or_else(|| from_worker.get("max.poll.records"))
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
            .unwrap_or(DEFAULT_MAX_POLL_RECORDS);
        let env_sync =
            env.converters.key.as_sync().is_some() && env.converters.value.as_sync().is_some();
        Self {
            env,
            task,
            shared: SharedState::default(),
            current: PartitionOffsets::new(),
            paused: BTreeSet::new(),
            last_committed: PartitionOffsets::new(),
            last_commit: Instant::now(),
            max_batch,
            sync_conversion: env_sync,
        }
    }

    fn subscribe(&self, consumer: &StreamConsumer<SinkConsumerContext>) -> Result<(), Failure> {
        let topics = sink_topics(&self.env.connector_config);
        let result = match sink_topics_regex(&self.env.connector_config) {
            // librdkafka treats a leading `^` as a regex; anchor both ends for Kafka's
            // whole-name matching.
            Some(regex) => consumer.subscribe(&[format!("^({regex})$").as_str()]),
            None => {
                let names: Vec<&str> = topics.iter().map(String::as_str).collect();
                consumer.subscribe(&names)
            }
        };
        result.map_err(|e| {
            (
                "Subscribing to the sink topics failed".to_string(),
                ConnectError::connect(e.to_string()),
            )
        })
    }

    /// Runs the task; returns when it is stopped or has failed (its status says which).
    pub(crate) async fn run(mut self) {
        if !self.env.wait_for_kafka().await {
            return;
        }
        let context = SinkConsumerContext {
            shared: self.shared.clone(),
            connector: self.env.connector.clone(),
        };
        let consumer: StreamConsumer<SinkConsumerContext> =
            match self.env.client_config.create_with_context(context) {
                Ok(consumer) => consumer,
                Err(e) => {
                    self.env.fail(
                        "Creating the Kafka consumer failed",
                        &ConnectError::connect(e.to_string()),
                    );
                    return;
                }
            };
        if let Err((context, e)) = self.subscribe(&consumer) {
            self.env.fail(&context, &e);
            return;
        }
        let task_context = Arc::new(RuntimeSinkContext {
            shared: self.shared.clone(),
        });
        if let Err(e) = self.task.start(&self.env.task_config, task_context).await {
            self.env.fail("Sink task failed to start", &e);
            return;
        }
        info!(connector = %self.env.connector, task = self.env.task_id, "Sink task started.");
        let outcome = self.copy_until_stopped(&consumer).await;
        if outcome.is_ok()
            && let Err((context, e)) = self.commit(&consumer, CommitMode::Sync).await
        {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %describe(&context, &e), "Final commit failed.");
        }
        let assigned: Vec<TopicPartition> = lock(&self.shared).assignment.iter().cloned().collect();
        if let Err(e) = self.task.close(&assigned).await {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Sink task failed to close partitions.");
        }
        if let Err(e) = self.task.stop().await {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Sink task failed to stop cleanly.");
        }
        consumer.unsubscribe();
        match outcome {
            Ok(()) => {
                info!(connector = %self.env.connector, task = self.env.task_id, "Sink task stopped.")
            }
            Err((context, e)) => self.env.fail(&context, &e),
        }
    }

    async fn copy_until_stopped(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
    ) -> Result<(), Failure> {
        let mut stream = consumer.stream();
        let mut control = self.env.control.clone();
        let mut target_paused = false;
        self.env.set_state(State::Running, None);
        loop {
            match self.env.target() {
                TaskTarget::Stopped => return Ok(()),
                TaskTarget::Paused if !target_paused => {
                    target_paused = true;
                    self.pause_all(consumer);
                    self.env.set_state(State::Paused, None);
                }
                TaskTarget::Running if target_paused => {
                    target_paused = false;
                    self.resume_all(consumer);
                    self.env.set_state(State::Running, None);
                }
                _ => {}
            }
            self.handle_context_events(consumer).await?;

            let first = tokio::select! {
                next = stream.next() => next,
                _ = tokio::time::sleep(Duration::from_millis(500)) => None,
                _ = control.changed() => None,
            };
            if let Some(first) = first {
                // Consumed messages borrow the consumer and stay in this block: they are
                // converted before anything else is awaited.
                let (batch, positions) = {
                    let mut messages = Vec::with_capacity(self.max_batch.min(1024));
                    self.keep(first, &mut messages);
                    while !messages.is_empty() && messages.len() < self.max_batch {
                        match stream.next().now_or_never() {
                            Some(Some(item)) => self.keep(item, &mut messages),
                            _ => break,
                        }
                    }
                    let positions = next_positions(&messages);
                    let batch = if self.sync_conversion {
                        Batch::Ready(convert_borrowed(&self.env, &messages)?)
                    } else {
                        Batch::Raw(messages.iter().map(RawRecord::from_message).collect())
                    };
                    (batch, positions)
                };
                let records = match batch {
                    Batch::Ready(records) => records,
                    Batch::Raw(raw) => convert(&self.env, raw).await?,
                };
                if !records.is_empty() {
                    self.put_with_retries(consumer, &mut stream, &records)
                        .await?;
                }
                for (tp, next) in positions {
                    self.current.insert(tp, next);
                }
            }
            let requested = std::mem::take(&mut lock(&self.shared).commit_requested);
            if (requested || self.last_commit.elapsed() >= self.env.flush_interval)
                && let Err((context, e)) = self.commit(consumer, CommitMode::Async).await
            {
                warn!(connector = %self.env.connector, task = self.env.task_id, error = %describe(&context, &e), "Offset commit skipped.");
            }
        }
    }

    fn keep<'c>(
        &self,
        item: Result<BorrowedMessage<'c>, rdkafka::error::KafkaError>,
        batch: &mut Vec<BorrowedMessage<'c>>,
    ) {
        match item {
            Ok(message) => batch.push(message),
            Err(e) => {
                debug!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Consumer reported an error; it keeps retrying.");
            }
        }
    }

    async fn put_with_retries(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
        stream: &mut rdkafka::consumer::MessageStream<'_, SinkConsumerContext>,
        records: &[ConnectRecord],
    ) -> Result<(), Failure> {
        let mut backoff = Duration::from_millis(100);
        let mut paused_for_retry = false;
        loop {
            match self.task.put(records).await {
                Ok(()) => break,
                Err(e) if e.is_retriable() => {
                    if self.env.target() == TaskTarget::Stopped {
                        // Not committed: the batch is delivered again after a restart.
                        return Ok(());
                    }
                    warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, backoff_ms = backoff.as_millis() as u64, "Sink put failed with a retriable error; retrying.");
                    if !paused_for_retry {
                        paused_for_retry = true;
                        self.pause_all(consumer);
                    }
                    let deadline = Instant::now() + backoff;
                    // Keep polling (partitions are paused) so the group does not evict us.
                    while Instant::now() < deadline {
                        tokio::select! {
                            next = stream.next() => {
                                // A record fetched before the pause took effect: rewind
                                // to it so it is delivered after the retry, not lost.
                                if let Some(Ok(message)) = next
                                    && let Err(e) = consumer.seek(message.topic(), message.partition(), Offset::Offset(message.offset()), Duration::from_secs(5))
                                {
                                    warn!(connector = %self.env.connector, error = %e, "Rewinding after a retry failed.");
                                }
                            }
                            _ = tokio::time::sleep_until(deadline) => {}
                        }
                    }
                    backoff = (backoff * 2).min(MAX_RETRY_BACKOFF);
                }
                Err(e) => return Err(("Sink task put failed".to_string(), e)),
            }
        }
        if paused_for_retry && self.env.target() == TaskTarget::Running {
            self.resume_all(consumer);
        }
        Ok(())
    }

    fn pause_all(&mut self, consumer: &StreamConsumer<SinkConsumerContext>) {
        let assigned: Vec<TopicPartition> = lock(&self.shared).assignment.iter().cloned().collect();
        self.pause(consumer, &assigned);
    }

    fn resume_all(&mut self, consumer: &StreamConsumer<SinkConsumerContext>) {
        let paused: Vec<TopicPartition> = self.paused.iter().cloned().collect();
        self.resume(consumer, &paused);
    }

    fn pause(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
        partitions: &[TopicPartition],
    ) {
        let list = to_list(&partitions.iter().map(|tp| (tp.clone(), 0)).collect());
        if let Err(e) = consumer.pause(&list) {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Pausing partitions failed.");
        }
        self.paused.extend(partitions.iter().cloned());
    }

    fn resume(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
        partitions: &[TopicPartition],
    ) {
        let list = to_list(&partitions.iter().map(|tp| (tp.clone(), 0)).collect());
        if let Err(e) = consumer.resume(&list) {
            warn!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Resuming partitions failed.");
        }
        for tp in partitions {
            self.paused.remove(tp);
        }
    }

    /// Opens/closes partitions after rebalances and applies the task's own requests.
    async fn handle_context_events(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
    ) -> Result<(), Failure> {
        let (assigned, revoked, resets, pauses, resumes) = {
            let mut shared = lock(&self.shared);
            (
                std::mem::take(&mut shared.newly_assigned),
                std::mem::take(&mut shared.revoked),
                std::mem::take(&mut shared.resets),
                std::mem::take(&mut shared.pause_requests),
                std::mem::take(&mut shared.resume_requests),
            )
        };
        if !revoked.is_empty() {
            for tp in &revoked {
                self.current.remove(tp);
                self.paused.remove(tp);
            }
            self.task
                .close(&revoked)
                .await
                .map_err(|e| ("Sink task failed to close partitions".to_string(), e))?;
        }
        if !assigned.is_empty() {
            self.task
                .open(&assigned)
                .await
                .map_err(|e| ("Sink task failed to open partitions".to_string(), e))?;
            if self.env.target() == TaskTarget::Paused {
                self.pause(consumer, &assigned);
            }
        }
        for (tp, offset) in resets {
            if let Err(e) = consumer.seek(
                &tp.topic,
                tp.partition,
                Offset::Offset(offset),
                Duration::from_secs(5),
            ) {
                warn!(connector = %self.env.connector, partition = %tp, error = %e, "Resetting the offset failed.");
            } else {
                self.current.insert(tp, offset);
            }
        }
        if !pauses.is_empty() {
            self.pause(consumer, &pauses);
        }
        if !resumes.is_empty() {
            self.resume(consumer, &resumes);
        }
        Ok(())
    }

    /// Flushes the task (`pre_commit`) and commits what it says is safe.
    async fn commit(
        &mut self,
        consumer: &StreamConsumer<SinkConsumerContext>,
        mode: CommitMode,
    ) -> Result<(), Failure> {
        self.last_commit = Instant::now();
        if self.current.is_empty() || self.current == self.last_committed {
            return Ok(());
        }
        let safe = self
            .task
            .pre_commit(&self.current)
            .await
            .map_err(|e| ("Sink task flush failed".to_string(), e))?;
        if safe.is_empty() {
            return Ok(());
        }
        lock(&self.shared)
            .committable
            .extend(safe.iter().map(|(tp, o)| (tp.clone(), *o)));
        consumer.commit(&to_list(&safe), mode).map_err(|e| {
            (
                "Committing offsets failed".to_string(),
                ConnectError::retriable(e.to_string()),
            )
        })?;
        debug!(connector = %self.env.connector, task = self.env.task_id, partitions = safe.len(), "Sink offsets committed.");
        if safe == self.current {
            self.last_committed = safe;
        }
        Ok(())
    }
}

/// A consumed batch, converted or waiting for asynchronous converters.
enum Batch {
    Ready(Vec<ConnectRecord>),
    Raw(Vec<RawRecord>),
}

/// The next offset to consume per partition after a batch (last offset + 1), computed once
/// per batch rather than per record.
fn next_positions(messages: &[BorrowedMessage<'_>]) -> Vec<(TopicPartition, i64)> {
    let mut positions: Vec<(TopicPartition, i64)> = Vec::new();
    for message in messages {
        let next = message.offset() + 1;
        match positions
            .iter_mut()
            .rev()
            .find(|(tp, _)| tp.partition == message.partition() && tp.topic == message.topic())
        {
            Some(slot) => slot.1 = slot.1.max(next),
            None => positions.push((
                TopicPartition::new(message.topic(), message.partition()),
                next,
            )),
        }
    }
    positions
}

/// What every consumed record becomes once its parts are converted.
struct Consumed<'a> {
    topic: &'a str,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
    timestamp_type: TimestampType,
}

fn sink_record(
    meta: Consumed<'_>,
    headers: Headers,
    key: SchemaAndValue,
    value: SchemaAndValue,
) -> ConnectRecord {
    ConnectRecord {
        topic: meta.topic.to_string(),
        kafka_partition: Some(meta.partition),
        key_schema: key.schema,
        key: key.value,
        value_schema: value.schema,
        value: value.value,
        timestamp: meta.timestamp,
        headers,
        origin: RecordOrigin::Sink {
            kafka_offset: meta.offset,
            timestamp_type: meta.timestamp_type,
            original_topic: meta.topic.to_string(),
            original_partition: meta.partition,
        },
    }
}

fn timestamp_of(message: &BorrowedMessage<'_>) -> (Option<i64>, TimestampType) {
    match message.timestamp() {
        Timestamp::CreateTime(t) => (Some(t), TimestampType::CreateTime),
        Timestamp::LogAppendTime(t) => (Some(t), TimestampType::LogAppendTime),
        Timestamp::NotAvailable => (None, TimestampType::NoTimestampType),
    }
}

fn convert_headers<'a>(
    env: &TaskEnv,
    topic: &str,
    raw: impl Iterator<Item = (&'a str, Option<&'a [u8]>)>,
) -> Result<Headers, Failure> {
    let mut headers = Headers::new();
    for (key, value) in raw {
        let converted = env
            .converters
            .header
            .to_connect_header(topic, key, value)
            .map_err(|e| (format!("Header '{key}' conversion failed"), e))?;
        headers.add(key.to_string(), converted.schema, converted.value);
    }
    Ok(headers)
}

fn transformed(
    env: &TaskEnv,
    record: ConnectRecord,
    into: &mut Vec<ConnectRecord>,
) -> Result<(), Failure> {
    if let Some(record) = env
        .transforms
        .apply(record)
        .map_err(|e| ("Transformation failed".to_string(), e))?
    {
        into.push(record);
    }
    Ok(())
}

/// Converts a batch straight from the consumed messages with synchronous converters: one
/// copy of each key and value, no future per record.
fn convert_borrowed(
    env: &TaskEnv,
    messages: &[BorrowedMessage<'_>],
) -> Result<Vec<ConnectRecord>, Failure> {
    let (Some(key_converter), Some(value_converter)) =
        (env.converters.key.as_sync(), env.converters.value.as_sync())
    else {
        return Err((
            "Converters".to_string(),
            ConnectError::connect("asynchronous converter on the synchronous path"),
        ));
    };
    let mut records = Vec::with_capacity(messages.len());
    for message in messages {
        let topic = message.topic();
        let headers = match message.headers() {
            Some(raw) => convert_headers(env, topic, raw.iter().map(|h| (h.key, h.value)))?,
            None => Headers::new(),
        };
        let key = key_converter
            .deserialize(message.key())
            .map_err(|e| ("Key conversion failed".to_string(), e))?;
        let value = value_converter
            .deserialize(message.payload())
            .map_err(|e| ("Value conversion failed".to_string(), e))?;
        let (timestamp, timestamp_type) = timestamp_of(message);
        let meta = Consumed {
            topic,
            partition: message.partition(),
            offset: message.offset(),
            timestamp,
            timestamp_type,
        };
        transformed(env, sink_record(meta, headers, key, value), &mut records)?;
    }
    Ok(records)
}

/// Converts owned copies of consumed records with converters that may do I/O.
async fn convert(env: &TaskEnv, batch: Vec<RawRecord>) -> Result<Vec<ConnectRecord>, Failure> {
    let converters = &env.converters;
    let mut records = Vec::with_capacity(batch.len());
    for raw in batch {
        let headers = convert_headers(
            env,
            &raw.topic,
            raw.headers.iter().map(|(k, v)| (k.as_str(), v.as_deref())),
        )?;
        let key = converters
            .key
            .to_connect_data(&raw.topic, &headers, raw.key.as_deref())
            .await
            .map_err(|e| ("Key conversion failed".to_string(), e))?;
        let value = converters
            .value
            .to_connect_data(&raw.topic, &headers, raw.value.as_deref())
            .await
            .map_err(|e| ("Value conversion failed".to_string(), e))?;
        let meta = Consumed {
            topic: &raw.topic,
            partition: raw.partition,
            offset: raw.offset,
            timestamp: raw.timestamp,
            timestamp_type: raw.timestamp_type,
        };
        transformed(env, sink_record(meta, headers, key, value), &mut records)?;
    }
    Ok(records)
}
