//! Kafka client settings for tasks.
//!
//! Settings come, in increasing precedence, from our defaults, the worker's `producer.*` /
//! `consumer.*` / `admin.*` settings and the connector's `producer.override.*` /
//! `consumer.override.*` / `admin.override.*` settings (Kafka Connect's override policy
//! `All`). The Java client's setting names mostly mean the same to librdkafka; the few that
//! only make sense on the JVM (serializers, interceptors, buffer.memory...) are dropped with a
//! warning instead of failing the task, and the rest are passed through so librdkafka can
//! reject unknown keys by name.

use connect_core::config::{Properties, originals_with_prefix};
use rdkafka::ClientConfig;
use tracing::warn;

/// Java client settings that have no librdkafka equivalent and no effect here.
const JVM_ONLY: &[&str] = &[
    "key.serializer",
    "value.serializer",
    "key.deserializer",
    "value.deserializer",
    "interceptor.classes",
    "partitioner.class",
    "buffer.memory",
    "max.block.ms",
    "metric.reporters",
    "metrics.num.samples",
    "metrics.recording.level",
    "metrics.sample.window.ms",
    "client.dns.lookup",
    "ssl.truststore.type",
    "ssl.keystore.type",
    "default.api.timeout.ms",
    "exclude.internal.topics",
    // Read by the sink executor as its batch size rather than passed to librdkafka.
    "max.poll.records",
];

/// Java names librdkafka knows under another name.
const RENAMED: &[(&str, &str)] = &[("max.request.size", "message.max.bytes")];

/// Which Kafka client a config is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientKind {
    /// Source tasks' producer.
    Producer,
    /// Sink tasks' consumer.
    Consumer,
    /// Topic creation and offset management.
    Admin,
}

impl ClientKind {
    fn worker_prefix(self) -> &'static str {
        match self {
            ClientKind::Producer => "producer.",
            ClientKind::Consumer => "consumer.",
            ClientKind::Admin => "admin.",
        }
    }

    fn override_prefix(self) -> &'static str {
        match self {
            ClientKind::Producer => "producer.override.",
            ClientKind::Consumer => "consumer.override.",
            ClientKind::Admin => "admin.override.",
        }
    }
}

fn apply(config: &mut ClientConfig, settings: &Properties, origin: &str) {
    for (key, value) in settings {
        if key.starts_with("override.") {
            // `producer.override.*` seen through the worker's `producer.` prefix.
            continue;
        }
        if JVM_ONLY.contains(&key.as_str()) {
            warn!(setting = %key, origin, "Ignoring a Java-client-only setting.");
            continue;
        }
        let name = RENAMED
            .iter()
            .find(|(java, _)| java == key)
            .map_or(key.as_str(), |(_, native)| native);
        config.set(name, value);
    }
}

/// The client config of one client of one connector.
pub fn client_config(
    kind: ClientKind,
    bootstrap_servers: &str,
    worker: &Properties,
    connector: &Properties,
    defaults: &[(&str, &str)],
) -> ClientConfig {
    let mut config = ClientConfig::new();
    config.set("bootstrap.servers", bootstrap_servers);
    for (k, v) in defaults {
        config.set(*k, *v);
    }
    apply(
        &mut config,
        &originals_with_prefix(worker, kind.worker_prefix()),
        "worker",
    );
    apply(
        &mut config,
        &originals_with_prefix(connector, kind.override_prefix()),
        "connector",
    );
    config
}

/// Producer defaults for source tasks and dead letter queues: every record acknowledged by
/// all in-sync replicas, idempotent (no duplicates or reordering on retry), and delivery
/// retried for as long as the broker is down instead of failing the task (Kafka Connect's
/// `delivery.timeout.ms` of `Integer.MAX_VALUE`).
pub const PRODUCER_DEFAULTS: &[(&str, &str)] = &[
    ("acks", "all"),
    ("enable.idempotence", "true"),
    ("message.timeout.ms", "0"),
    // Missing topics are created by the runtime with the connector's
    // `topic.creation.default.*` settings (KIP-158); a metadata request must not let the
    // broker create them first with its own defaults.
    ("allow.auto.create.topics", "false"),
];

/// Consumer defaults for sink tasks: offsets committed only by the runtime after a flush,
/// a new group starts from the earliest records (Kafka Connect's defaults), and no idle
/// second after the local fetch queue filled up.
pub const CONSUMER_DEFAULTS: &[(&str, &str)] = &[
    ("enable.auto.commit", "false"),
    ("enable.auto.offset.store", "false"),
    ("auto.offset.reset", "earliest"),
    // librdkafka stops fetching while its local queue is full and, by default, waits a
    // whole second before looking again: a sink catching up would idle most of the time.
    ("fetch.queue.backoff.ms", "10"),
];

/// Waits until the Kafka cluster answers a metadata request, retrying with backoff (1 s
/// doubling to 10 s) and reporting each failure through `on_failure`. Returns `false` if
/// `give_up` became true first (the task is being stopped).
pub async fn wait_for_kafka(
    probe_config: &ClientConfig,
    mut on_failure: impl FnMut(String),
    give_up: impl Fn() -> bool,
) -> bool {
    use rdkafka::consumer::{BaseConsumer, Consumer};
    use std::time::Duration;

    let mut delay = Duration::from_secs(1);
    loop {
        if give_up() {
            return false;
        }
        let config = probe_config.clone();
        let outcome = tokio::task::spawn_blocking(move || -> Result<(), String> {
            let probe: BaseConsumer = config.create().map_err(|e| e.to_string())?;
            probe
                .fetch_metadata(None, Duration::from_secs(5))
                .map(|_| ())
                .map_err(|e| e.to_string())
        })
        .await
        .unwrap_or_else(|e| Err(format!("metadata probe stopped: {e}")));
        match outcome {
            Ok(()) => return true,
            Err(reason) => on_failure(reason),
        }
        let deadline = tokio::time::Instant::now() + delay;
        while tokio::time::Instant::now() < deadline {
            if give_up() {
                return false;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        delay = (delay * 2).min(Duration::from_secs(10));
    }
}

/// A probe config: just enough to ask the cluster for metadata, with short timeouts.
pub fn probe_config(client: &ClientConfig) -> ClientConfig {
    let mut probe = ClientConfig::new();
    for key in [
        "bootstrap.servers",
        "security.protocol",
        "sasl.mechanism",
        "sasl.mechanisms",
        "sasl.username",
        "sasl.password",
        "ssl.ca.location",
        "ssl.certificate.location",
        "ssl.key.location",
        "ssl.key.password",
    ] {
        if let Some(value) = client.get(key) {
            probe.set(key, value);
        }
    }
    probe.set("socket.timeout.ms", "5000");
    probe
}

#[cfg(test)]
mod tests {
    use super::*;

    use connect_core::config::properties as props;

    #[test]
    fn connector_overrides_beat_worker_settings_beat_defaults() {
        let worker = props(&[
            ("producer.linger.ms", "10"),
            ("producer.acks", "1"),
            ("producer.key.serializer", "x"),
        ]);
        let connector = props(&[
            ("producer.override.linger.ms", "50"),
            ("producer.override.max.request.size", "2000000"),
        ]);
        let config = client_config(
            ClientKind::Producer,
            "k:9092",
            &worker,
            &connector,
            PRODUCER_DEFAULTS,
        );
        assert_eq!(config.get("bootstrap.servers"), Some("k:9092"));
        assert_eq!(config.get("linger.ms"), Some("50"));
        assert_eq!(config.get("acks"), Some("1"));
        assert_eq!(config.get("message.max.bytes"), Some("2000000"));
        assert_eq!(config.get("key.serializer"), None);
        assert_eq!(config.get("enable.idempotence"), Some("true"));
    }

    #[test]
    fn consumer_settings_do_not_leak_into_producers() {
        let worker = props(&[("consumer.fetch.min.bytes", "5")]);
        let config = client_config(
            ClientKind::Producer,
            "k:9092",
            &worker,
            &Properties::new(),
            &[],
        );
        assert_eq!(config.get("fetch.min.bytes"), None);
    }
}
