//! The `_schemas` topic: creating it, replaying it at start, and appending changes.
//!
//! Like Confluent's registry, the topic is the only storage: one partition (so records
//! have one order), compacted (so it keeps the latest record per key forever). At start
//! the whole partition is read from the beginning to its end before the registry
//! answers, which is how state survives restarts. After that the registry is the topic's
//! only writer: a change is produced, and applied to memory once Kafka acknowledged it,
//! so memory never shows what the topic may not have. Nothing tails the topic later;
//! a second registry writing to the same topic would not be seen until a restart (see
//! the crate docs).
//!
//! The reader uses `assign()` on partition 0 with no consumer group: there is no offset
//! to commit (every start reads everything), and group joins are slow on some brokers
//! (tansu holds a join for part of the rebalance timeout).

use std::time::{Duration, Instant};

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::types::RDKafkaErrorCode;
use rdkafka::{Offset, TopicPartitionList};
use tracing::{debug, info, warn};

use crate::RegistryError;
use crate::records::Record;
use crate::state::State;

/// The default topic, Confluent's.
pub const DEFAULT_TOPIC: &str = "_schemas";

/// Where the registry keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreOptions {
    /// Kafka brokers, `host:port,...`.
    pub bootstrap_servers: String,
    /// The compacted topic holding every schema and setting.
    pub topic: String,
    /// How long one Kafka operation may take: creating the topic, reading it to its
    /// end, or having a write acknowledged.
    pub timeout: Duration,
}

impl StoreOptions {
    /// Options for `bootstrap_servers` with the default topic and a 30 s timeout (long
    /// enough for a broker that is starting, short enough to report a dead one).
    pub fn new(bootstrap_servers: impl Into<String>) -> StoreOptions {
        StoreOptions {
            bootstrap_servers: bootstrap_servers.into(),
            topic: DEFAULT_TOPIC.to_owned(),
            timeout: Duration::from_secs(30),
        }
    }
}

/// The open topic: appends records and waits for Kafka's acknowledgement.
pub(crate) struct KafkaStore {
    producer: FutureProducer,
    options: StoreOptions,
}

impl KafkaStore {
    /// Creates the topic if missing and reads it to its end.
    pub(crate) async fn open(options: StoreOptions) -> Result<(KafkaStore, State), RegistryError> {
        ensure_topic(&options).await?;
        let replay_options = options.clone();
        let state = tokio::task::spawn_blocking(move || replay(&replay_options))
            .await
            .map_err(|err| RegistryError::StoreState(format!("replay task failed: {err}")))??;
        let producer: FutureProducer = ClientConfig::new()
            .set("bootstrap.servers", &options.bootstrap_servers)
            .set("acks", "all")
            .set("enable.idempotence", "true")
            .set("linger.ms", "0")
            .set(
                "message.timeout.ms",
                options.timeout.as_millis().to_string(),
            )
            .create()
            .map_err(|err| RegistryError::store("cannot create the producer", err))?;
        Ok((KafkaStore { producer, options }, state))
    }

    /// Appends `record` and returns once Kafka acknowledged it.
    pub(crate) async fn append(&self, record: &Record) -> Result<(), RegistryError> {
        let key = record.key();
        let value = record.value();
        let mut message: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(&self.options.topic)
            .partition(0)
            .key(key.as_slice());
        if let Some(value) = &value {
            message = message.payload(value.as_slice());
        }
        let delivery = self
            .producer
            .send(message, self.options.timeout)
            .await
            .map_err(|(err, _)| {
                RegistryError::store(
                    format!("cannot write to topic '{}'", self.options.topic),
                    err,
                )
            })?;
        debug!(topic = %self.options.topic, partition = delivery.partition, offset = delivery.offset, key = %String::from_utf8_lossy(&key), "Record written.");
        Ok(())
    }
}

/// Creates the topic (one partition, compacted) unless it exists; refuses a topic with
/// several partitions, whose records would have no single order.
async fn ensure_topic(options: &StoreOptions) -> Result<(), RegistryError> {
    let probe_options = options.clone();
    let (brokers, partitions) = tokio::task::spawn_blocking(move || describe(&probe_options))
        .await
        .map_err(|err| RegistryError::StoreState(format!("metadata task failed: {err}")))??;
    match partitions {
        Some(1) => return Ok(()),
        Some(n) => {
            return Err(RegistryError::StoreState(format!(
                "topic '{}' has {n} partitions; the schema registry needs a topic with exactly one",
                options.topic
            )));
        }
        None => {}
    }
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", &options.bootstrap_servers)
        .create()
        .map_err(|err| RegistryError::store("cannot create the admin client", err))?;
    let replication = brokers.clamp(1, 3);
    let topic = NewTopic::new(
        &options.topic,
        1,
        TopicReplication::Fixed(i32::try_from(replication).unwrap_or(1)),
    )
    .set("cleanup.policy", "compact");
    let results = admin
        .create_topics(
            &[topic],
            &AdminOptions::new().operation_timeout(Some(options.timeout)),
        )
        .await
        .map_err(|err| {
            RegistryError::store(format!("cannot create topic '{}'", options.topic), err)
        })?;
    for result in results {
        match result {
            Ok(_) => {
                info!(topic = %options.topic, replication, "Created the schema registry topic (compacted, 1 partition).")
            }
            Err((_, RDKafkaErrorCode::TopicAlreadyExists)) => {}
            Err((name, code)) => {
                return Err(RegistryError::store(
                    format!("cannot create topic '{name}'"),
                    KafkaError::AdminOp(code),
                ));
            }
        }
    }
    Ok(())
}

/// A consumer that reads partitions it is assigned, outside any group.
fn reader(options: &StoreOptions) -> Result<BaseConsumer, RegistryError> {
    ClientConfig::new()
        .set("bootstrap.servers", &options.bootstrap_servers)
        // librdkafka wants a group id even for `assign()`; a fresh one that never joins
        // or commits leaves no trace on the broker.
        .set(
            "group.id",
            format!("schema-registry-reader-{}", uuid::Uuid::new_v4()),
        )
        .set("enable.auto.commit", "false")
        .set("enable.partition.eof", "true")
        .set("auto.offset.reset", "earliest")
        .create()
        .map_err(|err| RegistryError::store("cannot create the consumer", err))
}

/// The cluster's broker count and the topic's partition count (`None`: no such topic).
fn describe(options: &StoreOptions) -> Result<(usize, Option<usize>), RegistryError> {
    let consumer = reader(options)?;
    let metadata = consumer
        .fetch_metadata(Some(&options.topic), options.timeout)
        .map_err(|err| {
            RegistryError::store(
                format!("cannot read metadata of topic '{}'", options.topic),
                err,
            )
        })?;
    let partitions = metadata
        .topics()
        .iter()
        .find(|t| t.name() == options.topic && t.error().is_none())
        .map(|t| t.partitions().len())
        .filter(|n| *n > 0);
    Ok((metadata.brokers().len(), partitions))
}

/// Reads partition 0 from the beginning to its current end, applying every record.
fn replay(options: &StoreOptions) -> Result<State, RegistryError> {
    let started = Instant::now();
    let deadline = started + options.timeout;
    let consumer = reader(options)?;
    let topic = &options.topic;
    let (low, high) = consumer
        .fetch_watermarks(topic, 0, options.timeout)
        .map_err(|err| {
            RegistryError::store(format!("cannot read the end of topic '{topic}'"), err)
        })?;
    let mut state = State::default();
    let mut applied = 0usize;
    if high > low {
        let mut assignment = TopicPartitionList::new();
        assignment
            .add_partition_offset(topic, 0, Offset::Beginning)
            .map_err(|err| RegistryError::store("cannot assign partition 0", err))?;
        consumer
            .assign(&assignment)
            .map_err(|err| RegistryError::store("cannot assign partition 0", err))?;
        let mut last_error = None;
        loop {
            if Instant::now() >= deadline {
                return Err(RegistryError::StoreState(format!(
                    "reading topic '{topic}' to offset {high} took longer than {:?}{}",
                    options.timeout,
                    last_error
                        .map(|e: KafkaError| format!(" (last error: {e})"))
                        .unwrap_or_default()
                )));
            }
            match consumer.poll(Duration::from_millis(200)) {
                Some(Ok(message)) => {
                    match Record::parse(message.key().unwrap_or_default(), message.payload()) {
                        Ok(Some(record)) => {
                            state.apply(&record);
                            applied += 1;
                        }
                        Ok(None) => {}
                        Err(reason) => warn!(
                            topic = %topic,
                            offset = message.offset(),
                            reason = %reason,
                            "Skipping a record the schema registry cannot read."
                        ),
                    }
                    if message.offset() + 1 >= high {
                        break;
                    }
                }
                // The end as of this fetch; nobody else writes, so it is the end.
                Some(Err(KafkaError::PartitionEOF(_))) => break,
                Some(Err(err)) => {
                    debug!(error = %err, "Transient error while reading the schema registry topic.");
                    last_error = Some(err);
                }
                None => {}
            }
        }
    }
    info!(
        topic = %topic,
        records = applied,
        end_offset = high,
        elapsed_ms = started.elapsed().as_millis(),
        "Read the schema registry topic."
    );
    Ok(state)
}
