//! Runs one source task: poll -> transforms -> converters -> producer, with offsets
//! committed only for records Kafka has acknowledged.
//!
//! Each record is remembered, per source partition and in submission order, until Kafka
//! acknowledges it. At every flush (`offset.flush.interval.ms`, and on stop) the offset of
//! the last record of each partition's acknowledged prefix is written to the offset store,
//! so a restart never skips a record that did not make it into Kafka. Back-pressure: when
//! too many records are in flight, or librdkafka's queue is full, the task is not polled
//! until acknowledgements catch up.

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::Duration;

use connect_core::connector::{RecordMetadata, SourceTask, SourceTaskContext};
use connect_core::record::{OffsetMap, RecordOrigin};
use connect_core::{ConnectError, ConnectRecord};
use futures::FutureExt;
use futures::stream::{FuturesUnordered, StreamExt};
use rdkafka::error::{KafkaError, RDKafkaErrorCode};
use rdkafka::message::{Header, OwnedHeaders};
use rdkafka::producer::{DeliveryFuture, FutureProducer, FutureRecord};
use tokio::time::Instant;
use tracing::{debug, info, warn};

use crate::offsets::{ConnectorOffsets, OffsetStore};
use crate::status::State;
use crate::task_common::{TaskEnv, TaskTarget, describe};
use crate::topics::TopicCreator;

/// Most records waiting for acknowledgement before the task stops being polled.
const MAX_IN_FLIGHT: usize = 100_000;

/// A record handed to the producer, remembered until Kafka acknowledges it.
struct Pending {
    seq: u64,
    offset: Option<OffsetMap>,
    acked: bool,
}

/// Where a submitted record sits in the tracker.
#[derive(Clone, Debug)]
struct Ticket {
    partition: Option<String>,
    seq: u64,
}

/// Submitted records per source partition, in order, to find what may be committed.
#[derive(Default)]
struct OffsetTracker {
    partitions: HashMap<String, (OffsetMap, VecDeque<Pending>)>,
    next_seq: u64,
    in_flight: usize,
}

impl OffsetTracker {
    fn submit(&mut self, partition: Option<&OffsetMap>, offset: Option<OffsetMap>) -> Ticket {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.in_flight += 1;
        let key = partition.map(|p| {
            let key = serde_json::to_string(p).unwrap_or_default();
            self.partitions
                .entry(key.clone())
                .or_insert_with(|| (p.clone(), VecDeque::new()))
                .1
                .push_back(Pending {
                    seq,
                    offset,
                    acked: false,
                });
            key
        });
        Ticket {
            partition: key,
            seq,
        }
    }

    fn ack(&mut self, ticket: &Ticket) {
        self.in_flight = self.in_flight.saturating_sub(1);
        let Some(key) = &ticket.partition else {
            return;
        };
        if let Some((_, queue)) = self.partitions.get_mut(key)
            && let Ok(index) = queue.binary_search_by_key(&ticket.seq, |p| p.seq)
        {
            queue[index].acked = true;
        }
    }

    /// Pops every partition's acknowledged prefix and returns the last offset of each.
    fn committable(&mut self) -> Vec<(OffsetMap, Option<OffsetMap>)> {
        let mut updates = Vec::new();
        for (partition, queue) in self.partitions.values_mut() {
            let mut last = None;
            while queue.front().is_some_and(|p| p.acked) {
                if let Some(done) = queue.pop_front() {
                    last = Some(done.offset);
                }
            }
            if let Some(offset) = last {
                updates.push((partition.clone(), offset));
            }
        }
        self.partitions.retain(|_, (_, queue)| !queue.is_empty());
        updates
    }
}

type Acknowledgement = (
    Ticket,
    Option<Box<ConnectRecord>>,
    Result<RecordMetadata, String>,
);

/// Executes one source task until it is stopped or fails.
pub(crate) struct SourceTaskExecutor {
    env: TaskEnv,
    task: Box<dyn SourceTask>,
    producer: FutureProducer,
    offsets: Arc<dyn OffsetStore>,
    tracker: OffsetTracker,
    acks: FuturesUnordered<futures::future::BoxFuture<'static, Acknowledgement>>,
    last_flush: Instant,
    commits_records: bool,
    topics: TopicCreator,
}

impl SourceTaskExecutor {
    pub(crate) fn new(
        env: TaskEnv,
        task: Box<dyn SourceTask>,
        producer: FutureProducer,
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
        Self {
            env,
            task,
            producer,
            offsets,
            tracker: OffsetTracker::default(),
            acks: FuturesUnordered::new(),
            last_flush: Instant::now(),
            commits_records,
            topics,
        }
    }

    /// Runs the task; returns when it is stopped or has failed (its status says which).
    pub(crate) async fn run(mut self) {
        if !self.env.wait_for_kafka().await {
            return;
        }
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
        let outcome = self.copy_until_stopped().await;
        let drained = self.drain_acks(self.env.flush_timeout).await;
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

    async fn copy_until_stopped(&mut self) -> Result<(), (String, ConnectError)> {
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
                    self.collect_acks(Duration::from_millis(200)).await?;
                    self.maybe_flush().await?;
                    continue;
                }
                TaskTarget::Running if paused => {
                    paused = false;
                    self.env.set_state(State::Running, None);
                }
                TaskTarget::Running => {}
            }
            if self.tracker.in_flight >= MAX_IN_FLIGHT {
                self.collect_acks(Duration::from_millis(100)).await?;
                continue;
            }
            let records = match self.task.poll().await {
                Ok(records) => records,
                Err(e) if e.is_retriable() => {
                    debug!(connector = %self.env.connector, task = self.env.task_id, error = %e, "Retriable poll failure.");
                    self.collect_acks(Duration::from_millis(100)).await?;
                    continue;
                }
                Err(e) => return Err(("Source task poll failed".to_string(), e)),
            };
            for record in records {
                self.send(record).await?;
            }
            self.collect_ready_acks().await?;
            self.maybe_flush().await?;
        }
    }

    /// Converts and hands one record to the producer.
    async fn send(&mut self, record: ConnectRecord) -> Result<(), (String, ConnectError)> {
        let original = self.commits_records.then(|| Box::new(record.clone()));
        let (partition, offset) = match &record.origin {
            RecordOrigin::Source { partition, offset } => (partition.clone(), offset.clone()),
            RecordOrigin::Sink { .. } => (None, None),
        };
        let transformed = self
            .env
            .transforms
            .apply(record)
            .map_err(|e| ("Transformation failed".to_string(), e))?;
        let Some(mut record) = transformed else {
            // Dropped by a transform: nothing to wait for, its offset is immediately done.
            let ticket = self.tracker.submit(partition.as_ref(), offset);
            self.tracker.ack(&ticket);
            if let Some(original) = original {
                self.task
                    .commit_record(&original, None)
                    .await
                    .map_err(|e| ("commit_record failed".to_string(), e))?;
            }
            return Ok(());
        };
        let converters = &self.env.converters;
        let key = converters
            .key
            .from_connect_data(
                &record.topic,
                &mut record.headers,
                record.key_schema.as_ref(),
                &record.key,
            )
            .await
            .map_err(|e| ("Key conversion failed".to_string(), e))?;
        let value = converters
            .value
            .from_connect_data(
                &record.topic,
                &mut record.headers,
                record.value_schema.as_ref(),
                &record.value,
            )
            .await
            .map_err(|e| ("Value conversion failed".to_string(), e))?;
        let mut headers = OwnedHeaders::new_with_capacity(record.headers.len());
        for header in &record.headers {
            let bytes = converters
                .header
                .from_connect_header(
                    &record.topic,
                    &header.key,
                    header.schema.as_ref(),
                    &header.value,
                )
                .map_err(|e| (format!("Header '{}' conversion failed", header.key), e))?;
            headers = headers.insert(Header {
                key: &header.key,
                value: bytes.as_deref(),
            });
        }
        if let Err(e) = self.topics.ensure(&self.producer, &record.topic).await {
            return Err((format!("Topic {} is not available", record.topic), e));
        }
        let ticket = self.tracker.submit(partition.as_ref(), offset);
        let mut future_record: FutureRecord<'_, [u8], [u8]> =
            FutureRecord::to(&record.topic).headers(headers);
        if let Some(key) = key.as_deref() {
            future_record = future_record.key(key);
        }
        if let Some(value) = value.as_deref() {
            future_record = future_record.payload(value);
        }
        if let Some(partition) = record.kafka_partition {
            future_record = future_record.partition(partition);
        }
        if let Some(timestamp) = record.timestamp {
            future_record = future_record.timestamp(timestamp);
        }
        let topic = record.topic.clone();
        loop {
            match self.producer.send_result(future_record) {
                Ok(delivery) => {
                    self.acks
                        .push(acknowledgement(ticket, original, topic, delivery).boxed());
                    return Ok(());
                }
                Err((KafkaError::MessageProduction(RDKafkaErrorCode::QueueFull), returned)) => {
                    // librdkafka's queue is full: wait for deliveries before retrying.
                    future_record = returned;
                    self.collect_acks(Duration::from_millis(50)).await?;
                }
                Err((e, _)) => {
                    return Err((
                        "Producing the record failed".to_string(),
                        ConnectError::connect(format!(
                            "Cannot send a record to topic {topic}: {e}"
                        )),
                    ));
                }
            }
        }
    }

    /// Processes acknowledgements that are already in.
    async fn collect_ready_acks(&mut self) -> Result<(), (String, ConnectError)> {
        while let Some(Some(ack)) = self.acks.next().now_or_never() {
            self.handle_ack(ack).await?;
        }
        Ok(())
    }

    /// Waits up to `wait` for at least one acknowledgement, then takes all ready ones.
    async fn collect_acks(&mut self, wait: Duration) -> Result<(), (String, ConnectError)> {
        if self.acks.is_empty() {
            tokio::time::sleep(wait).await;
            return Ok(());
        }
        if let Ok(Some(ack)) = tokio::time::timeout(wait, self.acks.next()).await {
            self.handle_ack(ack).await?;
        }
        self.collect_ready_acks().await
    }

    async fn handle_ack(
        &mut self,
        (ticket, original, result): Acknowledgement,
    ) -> Result<(), (String, ConnectError)> {
        match result {
            Ok(metadata) => {
                self.tracker.ack(&ticket);
                if let Some(original) = original {
                    self.task
                        .commit_record(&original, Some(&metadata))
                        .await
                        .map_err(|e| ("commit_record failed".to_string(), e))?;
                }
                Ok(())
            }
            Err(reason) => Err((
                "Kafka did not accept a record".to_string(),
                ConnectError::connect(reason),
            )),
        }
    }

    /// Waits for every outstanding acknowledgement, at most `timeout`; true if all came.
    async fn drain_acks(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.acks.is_empty() {
            let now = Instant::now();
            if now >= deadline {
                return false;
            }
            match tokio::time::timeout(deadline - now, self.acks.next()).await {
                Ok(Some(ack)) => {
                    if let Err((context, e)) = self.handle_ack(ack).await {
                        warn!(connector = %self.env.connector, task = self.env.task_id, error = %describe(&context, &e), "Record failed while stopping.");
                    }
                }
                Ok(None) | Err(_) => break,
            }
        }
        self.acks.is_empty()
    }

    async fn maybe_flush(&mut self) -> Result<(), (String, ConnectError)> {
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
        let updates = self.tracker.committable();
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

async fn acknowledgement(
    ticket: Ticket,
    original: Option<Box<ConnectRecord>>,
    topic: String,
    delivery: DeliveryFuture,
) -> Acknowledgement {
    let result = match delivery.await {
        Ok(Ok(delivery)) => Ok(RecordMetadata {
            topic,
            partition: delivery.partition,
            offset: delivery.offset,
        }),
        Ok(Err((e, _))) => Err(format!("Delivery to topic {topic} failed: {e}")),
        Err(_) => Err(format!(
            "Delivery to topic {topic} was cancelled: the producer closed"
        )),
    };
    (ticket, original, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(value: serde_json::Value) -> OffsetMap {
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn only_the_acknowledged_prefix_of_each_partition_is_committable() {
        let mut tracker = OffsetTracker::default();
        let a = map(json!({"file": "a"}));
        let b = map(json!({"file": "b"}));
        let a1 = tracker.submit(Some(&a), Some(map(json!({"pos": 1}))));
        let a2 = tracker.submit(Some(&a), Some(map(json!({"pos": 2}))));
        let b1 = tracker.submit(Some(&b), Some(map(json!({"pos": 10}))));
        let a3 = tracker.submit(Some(&a), Some(map(json!({"pos": 3}))));
        tracker.ack(&a2);
        tracker.ack(&b1);
        tracker.ack(&a3);
        // a1 is not acknowledged: nothing of `a` may be committed yet.
        let updates = tracker.committable();
        assert_eq!(updates, vec![(b.clone(), Some(map(json!({"pos": 10}))))]);
        tracker.ack(&a1);
        assert_eq!(
            tracker.committable(),
            vec![(a.clone(), Some(map(json!({"pos": 3}))))]
        );
        assert!(tracker.committable().is_empty());
        assert_eq!(tracker.in_flight, 0);
    }

    #[test]
    fn records_without_partition_only_count_in_flight() {
        let mut tracker = OffsetTracker::default();
        let t = tracker.submit(None, None);
        assert_eq!(tracker.in_flight, 1);
        tracker.ack(&t);
        assert_eq!(tracker.in_flight, 0);
        assert!(tracker.committable().is_empty());
    }
}
