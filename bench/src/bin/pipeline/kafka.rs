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

/// Waits until the high watermarks of `topic`'s partitions `0..partitions` add up to at
/// least `records` (checked every 5 ms) and returns when they did: the moment the last
/// record was written, for producers we cannot instrument (the in-process source task).
pub(crate) fn wait_for_high_watermarks(
    bootstrap: &str,
    topic: &str,
    partitions: i32,
    records: u64,
    timeout: Duration,
) -> Result<std::time::Instant, String> {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    let client: BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", bootstrap)
        .set("group.id", format!("{topic}-watermarks"))
        .create()
        .map_err(|e| format!("cannot create the watermark reader: {e}"))?;
    let deadline = std::time::Instant::now() + timeout;
    loop {
        let mut total = 0u64;
        for partition in 0..partitions {
            if let Ok((_, high)) =
                client.fetch_watermarks(topic, partition, Duration::from_secs(5))
            {
                total += u64::try_from(high).unwrap_or(0);
            }
        }
        let now = std::time::Instant::now();
        if total >= records {
            return Ok(now);
        }
        if now > deadline {
            return Err(format!(
                "topic {topic} holds {total} of {records} records after {timeout:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}
