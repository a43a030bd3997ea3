//! Kafka settings and topic administration shared by every part of the benchmark.

use std::time::Duration;

use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;

/// The class of Kafka's `ByteArrayConverter`, used for keys and values on every side.
pub(crate) const BYTE_ARRAY_CONVERTER: &str =
    "org.apache.kafka.connect.converters.ByteArrayConverter";

/// Consumer settings for every consumer group of the benchmark (the sink tasks' and the
/// baseline's): the test broker makes a new group's first join wait half the session
/// timeout, so the timeout is kept at the smallest value brokers accept by default.
pub(crate) const GROUP_SETTINGS: &[(&str, &str)] = &[
    ("session.timeout.ms", "6000"),
    ("max.poll.interval.ms", "10000"),
];

/// How long topic administration may take.
const ADMIN_TIMEOUT: Duration = Duration::from_secs(10);

fn admin(bootstrap: &str) -> Result<AdminClient<DefaultClientContext>, String> {
    ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .create()
        .map_err(|e| format!("cannot create an admin client: {e}"))
}

fn options() -> AdminOptions {
    AdminOptions::new()
        .operation_timeout(Some(ADMIN_TIMEOUT))
        .request_timeout(Some(ADMIN_TIMEOUT))
}

/// Creates `topic` with `partitions` partitions (replication factor 1).
pub(crate) async fn create_topic(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
) -> Result<(), String> {
    let admin = admin(bootstrap)?;
    let results = admin
        .create_topics(
            &[NewTopic::new(topic, partitions, TopicReplication::Fixed(1))],
            &options(),
        )
        .await
        .map_err(|e| format!("cannot create topic {topic}: {e}"))?;
    for result in results {
        result.map_err(|(name, code)| format!("cannot create topic {name}: {code:?}"))?;
    }
    Ok(())
}

/// Deletes `topic` so the in-memory broker frees its records; failures are only reported.
pub(crate) async fn delete_topic(bootstrap: &str, topic: &str) {
    let outcome = match admin(bootstrap) {
        Ok(admin) => admin
            .delete_topics(&[topic], &options())
            .await
            .map_err(|e| e.to_string())
            .and_then(|results| {
                results
                    .into_iter()
                    .try_for_each(|r| r.map(|_| ()).map_err(|(_, code)| format!("{code:?}")))
            }),
        Err(e) => Err(e),
    };
    if let Err(e) = outcome {
        eprintln!("note: could not delete topic {topic}: {e}");
    }
}

/// Waits until the last record of every partition of `topic` is in Kafka and returns when
/// it was seen: `counts[p]` is how many records partition `p` will hold. For producers we
/// cannot instrument (the in-process source task).
///
/// A consumer without group is assigned to offset `counts[p] - 1` of each partition and
/// polls with `fetch.wait.max.ms=5`; it reads one record per partition, so it costs next to
/// nothing while the source runs. (High watermarks would be simpler, but the test broker
/// reports the base offset of the last batch as the high watermark.)
pub(crate) fn wait_for_last_records(
    bootstrap: &str,
    topic: &str,
    counts: &[u64],
    timeout: Duration,
) -> Result<std::time::Instant, String> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use rdkafka::message::Message;
    use rdkafka::{Offset, TopicPartitionList};
    let consumer: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", format!("{topic}-tail"))
        .set("enable.auto.commit", "false")
        .set("auto.offset.reset", "error")
        .set("fetch.wait.max.ms", "5")
        .create()
        .map_err(|e| format!("cannot create the tail reader: {e}"))?;
    let mut list = TopicPartitionList::new();
    let mut waiting = std::collections::BTreeSet::new();
    for (partition, &count) in counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let partition = i32::try_from(partition).map_err(|e| e.to_string())?;
        let last = i64::try_from(count - 1).map_err(|e| e.to_string())?;
        list.add_partition_offset(topic, partition, Offset::Offset(last))
            .map_err(|e| format!("tail reader: {e}"))?;
        waiting.insert(partition);
    }
    consumer
        .assign(&list)
        .map_err(|e| format!("tail reader assign: {e}"))?;
    let deadline = std::time::Instant::now() + timeout;
    while !waiting.is_empty() {
        match consumer.poll(Duration::from_millis(5)) {
            Some(Ok(message)) => {
                waiting.remove(&message.partition());
            }
            Some(Err(e)) => return Err(format!("tail reader: {e}")),
            None if std::time::Instant::now() > deadline => {
                return Err(format!(
                    "the last records of partitions {waiting:?} of {topic} did not arrive in {timeout:?}"
                ));
            }
            None => {}
        }
    }
    Ok(std::time::Instant::now())
}
