//! Runs one sink task: consumer -> converters -> transforms -> `put` -> `flush` -> commit.
//!
//! The consumer belongs to the group `connect-<connector>`. Offsets are committed only for
//! records the task has flushed (`pre_commit`), every `offset.flush.interval.ms`, on
//! request, when partitions are revoked and on stop: after a crash, records are delivered
//! again rather than lost (at-least-once). A `put` that fails with a retriable error pauses
//! every assigned partition, keeps the consumer alive, and retries the same batch with
//! exponential backoff; any other failure fails the task with its cause in the status.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_core::config::originals_with_prefix;
use connect_core::connector::{PartitionOffsets, SinkTask, SinkTaskContext, TopicPartition};
use connect_core::record::RecordOrigin;
use connect_core::{ConnectError, ConnectRecord};
use futures::FutureExt;
use futures::stream::StreamExt;
use rdkafka::consumer::{
    BaseConsumer, CommitMode, Consumer, ConsumerContext, Rebalance, StreamConsumer,
};
use rdkafka::message::{BorrowedMessage, Message};
use rdkafka::{ClientContext, Offset, TopicPartitionList};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::connector_config::{sink_topics, sink_topics_regex};
use crate::errors::handler_tolerance_exceeded as tolerance_exceeded;
use crate::errors::{DeadLetterQueue, ErrorHandler, ErrorReport, OriginalRecord, Stage};
use crate::sink_convert::{
    Failure, Processed, RecordId, SyncOutcome, original_of, process_borrowed, process_owned,
};
use crate::status::State;
use crate::task_common::{TaskEnv, TaskTarget, describe, stage_failure};

/// The class Kafka Connect names for failures a sink task reports (`__connect.errors.class.name`).
const SINK_TASK_CLASS: &str = "org.apache.kafka.connect.sink.SinkTask";
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
    /// Records the task reported as errant during the current `put`.
    errant: Vec<(RecordId, ConnectError)>,
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
    /// `Some(tolerate_all)` when the task may report errant records (a dead letter queue
    /// or error logging is configured), as Kafka offers an `ErrantRecordReporter` only then.
    errant_reporting: Option<bool>,
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

    fn report_errant(
        &self,
        record: &ConnectRecord,
        error: ConnectError,
    ) -> connect_core::Result<()> {
        let Some(tolerate_all) = self.errant_reporting else {
            return Err(ConnectError::connect(format!(
                "No errant record reporter: set errors.deadletterqueue.topic.name or errors.log.enable to report records; the record failed with: {error}"
            )));
        };
        let RecordOrigin::Sink {
            kafka_offset,
            original_topic,
            original_partition,
            ..
        } = &record.origin
        else {
            return Err(ConnectError::connect(
                "Only consumed records can be reported as errant",
            ));
        };
        let fatal = (!tolerate_all).then(|| tolerance_exceeded(&error));
        lock(&self.shared).errant.push((
            (
                original_topic.to_string(),
                *original_partition,
                *kafka_offset,
            ),
            error,
        ));
        match fatal {
            Some(fatal) => Err(fatal),
            None => Ok(()),
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
    /// Where failed records go, when configured.
    dlq: Option<DeadLetterQueue>,
    /// Whether the task may report errant records (then consumed bytes are kept per batch).
    errant_reporting: bool,
}

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
            dlq: None,
            errant_reporting: false,
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
        let errors = self.env.errors.config().clone();
        match DeadLetterQueue::open(
            &errors,
            &self.dlq_producer_config(),
            crate::kafka::client_config(
                crate::kafka::ClientKind::Admin,
                &self.env.bootstrap_servers,
                &self.env.worker_props,
                &self.env.connector_config,
                &[],
            ),
            &self.env.connector,
            self.env.task_id,
        )
        .await
        {
            Ok(dlq) => self.dlq = dlq,
            Err(e) => {
                self.env.fail("Creating the dead letter queue failed", &e);
                return;
            }
        }
        self.errant_reporting = errors.errant_reporting_enabled();
        let task_context = Arc::new(RuntimeSinkContext {
            shared: self.shared.clone(),
            errant_reporting: self.errant_reporting.then_some(errors.tolerate_all),
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
                    let outcome = if self.sync_conversion {
                        process_borrowed(&mut self.env, &messages, self.errant_reporting)?
                    } else {
                        SyncOutcome::Retry
                    };
                    let batch = match outcome {
                        SyncOutcome::Done(processed) => Batch::Ready(processed),
                        SyncOutcome::Retry => {
                            Batch::Raw(messages.iter().map(original_of).collect())
                        }
                    };
                    (batch, positions)
                };
                let processed = match batch {
                    Batch::Ready(processed) => processed,
                    Batch::Raw(raw) => {
                        let control = self.env.control.clone();
                        let stopping = move || *control.borrow() == TaskTarget::Stopped;
                        process_owned(&mut self.env, raw, self.errant_reporting, &stopping).await?
                    }
                };
                send_to_dlq(self.dlq.as_ref(), &self.env.errors, &processed.failed).await?;
                if !processed.records.is_empty() {
                    let delivered = self
                        .put_with_retries(consumer, &mut stream, &processed.records)
                        .await?;
                    if !delivered {
                        // Stopped while retrying: the batch is not committed and is
                        // delivered again after a restart.
                        return Ok(());
                    }
                    self.handle_errant(processed.originals).await?;
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
    ) -> Result<bool, Failure> {
        let mut backoff = Duration::from_millis(100);
        let mut paused_for_retry = false;
        loop {
            lock(&self.shared).errant.clear();
            match self.task.put(records).await {
                Ok(()) => break,
                Err(e) if e.is_retriable() => {
                    if self.env.target() == TaskTarget::Stopped {
                        // Not committed: the batch is delivered again after a restart.
                        return Ok(false);
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
        Ok(true)
    }

    /// The dead letter queue producer's settings: the worker's `producer.*` and the
    /// connector's `producer.override.*`, as for a source task.
    fn dlq_producer_config(&self) -> rdkafka::ClientConfig {
        crate::kafka::client_config(
            crate::kafka::ClientKind::Producer,
            &self.env.bootstrap_servers,
            &self.env.worker_props,
            &self.env.connector_config,
            crate::kafka::PRODUCER_DEFAULTS,
        )
    }

    /// Handles the records the task reported as errant during the last `put`: skipped
    /// (logged, dead letter queue) when tolerated, otherwise the task fails.
    async fn handle_errant(
        &mut self,
        mut originals: HashMap<RecordId, OriginalRecord>,
    ) -> Result<(), Failure> {
        let errant = std::mem::take(&mut lock(&self.shared).errant);
        let mut failed = Vec::with_capacity(errant.len());
        for (id, error) in errant {
            let report = ErrorReport {
                stage: Stage::TaskPut,
                class_name: SINK_TASK_CLASS.to_string(),
                error,
                original: originals.remove(&id),
                source_record: None,
            };
            let context = format!(
                "{} ({})",
                stage_failure(Stage::TaskPut),
                report.context(true)
            );
            failed.push(
                self.env
                    .errors
                    .failed(report)
                    .map_err(|fatal| (context, fatal))?,
            );
        }
        send_to_dlq(self.dlq.as_ref(), &self.env.errors, &failed).await
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

/// Writes skipped records to the dead letter queue, if there is one, and waits for Kafka's
/// acknowledgements: their offsets are committed only after that.
async fn send_to_dlq(
    dlq: Option<&DeadLetterQueue>,
    errors: &ErrorHandler,
    failed: &[ErrorReport],
) -> Result<(), Failure> {
    let Some(dlq) = dlq else {
        return Ok(());
    };
    for report in failed {
        dlq.send(report, errors.counters())
            .await
            .map_err(|e| ("Writing to the dead letter queue failed".to_string(), e))?;
    }
    Ok(())
}

/// A consumed batch, processed or waiting for asynchronous converters.
enum Batch {
    Ready(Processed),
    Raw(Vec<OriginalRecord>),
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
