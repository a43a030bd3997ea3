//! The Kafka-compatible broker the tests talk to, and small helpers to use it directly.
//!
//! `scripts/test.sh` starts a tansu broker and exports `KAFKA_BOOTSTRAP_SERVERS`; pointing
//! that variable at any other Kafka runs the same tests there. Every test uses its own
//! topic and group names so tests never see each other's data.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, Consumer};
use rdkafka::message::OwnedMessage;
use rdkafka::producer::{FutureProducer, FutureRecord};
use rdkafka::{ClientConfig, Message, Offset, TopicPartitionList};

/// The broker address, from `KAFKA_BOOTSTRAP_SERVERS`.
pub fn bootstrap_servers() -> String {
    std::env::var("KAFKA_BOOTSTRAP_SERVERS").unwrap_or_else(|_| {
        panic!("KAFKA_BOOTSTRAP_SERVERS is not set: run the tests with scripts/test.sh, which starts a broker")
    })
}

/// A name no other test (or earlier run) uses.
pub fn unique_name(prefix: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "{prefix}-{}-{}-{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Creates a topic with `partitions` partitions (an existing topic is fine).
pub async fn create_topic(topic: &str, partitions: i32) {
    let admin: AdminClient<DefaultClientContext> = ClientConfig::new()
        .set("bootstrap.servers", bootstrap_servers())
        .create()
        .expect("admin client");
    let results = admin
        .create_topics(
            &[NewTopic::new(topic, partitions, TopicReplication::Fixed(1))],
            &AdminOptions::new().operation_timeout(Some(Duration::from_secs(10))),
        )
        .await
        .expect("create topics request");
    for result in results {
        if let Err((name, code)) = result {
            assert_eq!(
                code,
                rdkafka::types::RDKafkaErrorCode::TopicAlreadyExists,
                "creating topic {name} failed"
            );
        }
    }
}

/// A record to produce: optional key and value bytes.
pub type KeyValue = (Option<Vec<u8>>, Option<Vec<u8>>);

/// Produces records (key, value) and waits for every acknowledgement.
pub async fn produce(topic: &str, records: &[KeyValue]) {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap_servers())
        .set("acks", "all")
        .create()
        .expect("producer");
    for (key, value) in records {
        let mut record: FutureRecord<'_, [u8], [u8]> = FutureRecord::to(topic);
        if let Some(key) = key {
            record = record.key(key.as_slice());
        }
        if let Some(value) = value {
            record = record.payload(value.as_slice());
        }
        producer
            .send(record, Duration::from_secs(10))
            .await
            .map_err(|(e, _)| e)
            .expect("produce");
    }
}

/// Reads every record of a topic from the beginning until `expected` records arrived or
/// `timeout` passed (no consumer group: partitions are assigned directly).
pub fn consume(topic: &str, expected: usize, timeout: Duration) -> Vec<OwnedMessage> {
    consume_from(&bootstrap_servers(), topic, expected, timeout)
}

/// Like [`consume`], from the broker at `bootstrap`.
pub fn consume_from(
    bootstrap: &str,
    topic: &str,
    expected: usize,
    timeout: Duration,
) -> Vec<OwnedMessage> {
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", unique_name("reader"))
        .set("enable.auto.commit", "false")
        .create()
        .expect("consumer");
    let metadata = consumer
        .fetch_metadata(Some(topic), Duration::from_secs(10))
        .expect("topic metadata");
    let mut assignment = TopicPartitionList::new();
    for t in metadata.topics() {
        for p in t.partitions() {
            assignment
                .add_partition_offset(topic, p.id(), Offset::Beginning)
                .expect("partition");
        }
    }
    consumer.assign(&assignment).expect("assign");
    let deadline = std::time::Instant::now() + timeout;
    let mut out = Vec::new();
    while out.len() < expected && std::time::Instant::now() < deadline {
        if let Some(Ok(message)) = consumer.poll(Duration::from_millis(200)) {
            out.push(message.detach());
        }
    }
    out
}

/// The value of a consumed record as UTF-8 text.
pub fn text(message: &OwnedMessage) -> String {
    String::from_utf8_lossy(message.payload().unwrap_or_default()).into_owned()
}

/// A tansu broker process started by a test (for scenarios where Kafka comes and goes),
/// from the binary `scripts/test-broker.sh` installed (`TANSU_BIN`).
pub struct TansuProcess {
    child: std::process::Child,
    /// Its bootstrap address.
    pub bootstrap: String,
}

impl TansuProcess {
    /// Starts tansu on `127.0.0.1:port` with memory storage.
    pub fn start(port: u16) -> Self {
        let bin = std::env::var("TANSU_BIN").unwrap_or_else(|_| {
            panic!("TANSU_BIN is not set: run the tests with scripts/test.sh, which installs tansu")
        });
        let url = format!("tcp://127.0.0.1:{port}");
        let child = std::process::Command::new(bin)
            .args([
                "broker",
                "--listener-url",
                &url,
                "--advertised-listener-url",
                &url,
                "--storage-engine",
                "memory://tansu/",
                "--cluster-id",
                "connect-test-outage",
                "--silent",
            ])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start tansu");
        Self {
            child,
            bootstrap: format!("127.0.0.1:{port}"),
        }
    }
}

impl Drop for TansuProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
