//! Reading, altering and resetting a sink connector's offsets (KIP-875).
//!
//! A sink's offsets are its consumer group's (`connect-<connector>`) committed offsets,
//! described to users the way Kafka Connect does: partition `{"kafka_topic", "kafka_partition"}`,
//! offset `{"kafka_offset"}`. The connector is STOPPED while they change, so the group has no
//! members and a plain commit under its id is authoritative.

use std::time::Duration;

use connect_core::config::Properties;
use connect_core::record::OffsetMap;
use rdkafka::admin::{AdminClient, AdminOptions};
use rdkafka::client::DefaultClientContext;
use rdkafka::consumer::{BaseConsumer, CommitMode, Consumer};
use rdkafka::{ClientConfig, Offset, TopicPartitionList};
use serde_json::Value as Json;

use crate::connector_config::{sink_topics, sink_topics_regex};
use crate::error::{Result, RuntimeError};
use crate::herder::OffsetEntry;
use crate::kafka::{CONSUMER_DEFAULTS, ClientKind, client_config};
use crate::worker_config::WorkerConfig;

const TIMEOUT: Duration = Duration::from_secs(10);

/// The offsets of one sink connector's consumer group.
pub(crate) struct SinkOffsets {
    client: ClientConfig,
    group: String,
    topics: Vec<String>,
    regex: Option<String>,
}

fn object(pairs: Vec<(&str, Json)>) -> OffsetMap {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// Runs blocking Kafka client work off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| RuntimeError::Internal(format!("Kafka offset operation stopped: {e}")))?
}

/// A sink partition and offset from a KIP-875 request.
fn parse_entry((partition, offset): &OffsetEntry) -> Result<(String, i32, Option<i64>)> {
    let topic = partition
        .get("kafka_topic")
        .and_then(Json::as_str)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            RuntimeError::InvalidRequest(
                "Kafka partitions must have a string 'kafka_topic' key".to_string(),
            )
        })?;
    let number = |value: Option<&Json>| -> Option<i64> {
        value.and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
        })
    };
    let partition_number = number(partition.get("kafka_partition"))
        .and_then(|p| i32::try_from(p).ok())
        .filter(|p| *p >= 0)
        .ok_or_else(|| {
            RuntimeError::InvalidRequest(format!(
                "Kafka partitions must have a non-negative integer 'kafka_partition' key (topic {topic})"
            ))
        })?;
    let offset = match offset {
        None => None,
        Some(offset) => Some(number(offset.get("kafka_offset")).filter(|o| *o >= 0).ok_or_else(|| {
            RuntimeError::InvalidRequest(format!(
                "Kafka offsets must have a non-negative integer 'kafka_offset' key (topic {topic}, partition {partition_number})"
            ))
        })?),
    };
    Ok((topic.to_string(), partition_number, offset))
}

impl SinkOffsets {
    /// The offsets of connector `name` with config `connector`.
    pub(crate) fn new(worker: &WorkerConfig, name: &str, connector: &Properties) -> Self {
        let group = format!("connect-{name}");
        let mut client = client_config(
            ClientKind::Consumer,
            &worker.bootstrap_servers,
            &worker.props,
            connector,
            CONSUMER_DEFAULTS,
        );
        client.set("group.id", &group);
        Self {
            client,
            group,
            topics: sink_topics(connector),
            regex: sink_topics_regex(connector),
        }
    }

    fn consumer(client: &ClientConfig) -> Result<BaseConsumer> {
        client
            .create()
            .map_err(|e| RuntimeError::kafka("Cannot create a consumer to manage offsets", e))
    }

    /// Every partition of the connector's topics.
    fn partitions(
        consumer: &BaseConsumer,
        topics: &[String],
        regex: Option<&str>,
    ) -> Result<TopicPartitionList> {
        let metadata = consumer
            .fetch_metadata(None, TIMEOUT)
            .map_err(|e| RuntimeError::Unavailable(format!("Cannot read Kafka metadata: {e}")))?;
        let pattern =
            match regex {
                Some(r) => Some(regex::Regex::new(&format!("^(?:{r})$")).map_err(|e| {
                    RuntimeError::InvalidRequest(format!("Invalid topics.regex: {e}"))
                })?),
                None => None,
            };
        let mut list = TopicPartitionList::new();
        for topic in metadata.topics() {
            let wanted = match &pattern {
                Some(p) => p.is_match(topic.name()),
                None => topics.iter().any(|t| t == topic.name()),
            };
            if wanted {
                for partition in topic.partitions() {
                    list.add_partition(topic.name(), partition.id());
                }
            }
        }
        Ok(list)
    }

    /// The committed offsets, as (partition, offset) maps.
    pub(crate) async fn get(&self) -> Result<Vec<(OffsetMap, OffsetMap)>> {
        let client = self.client.clone();
        let topics = self.topics.clone();
        let regex = self.regex.clone();
        blocking(move || {
            let consumer = Self::consumer(&client)?;
            let partitions = Self::partitions(&consumer, &topics, regex.as_deref())?;
            if partitions.count() == 0 {
                return Ok(Vec::new());
            }
            let committed = consumer
                .committed_offsets(partitions, TIMEOUT)
                .map_err(|e| {
                    RuntimeError::Unavailable(format!("Cannot read committed offsets: {e}"))
                })?;
            let mut out = Vec::new();
            for element in committed.elements() {
                if let Offset::Offset(offset) = element.offset() {
                    out.push((
                        object(vec![
                            ("kafka_topic", Json::from(element.topic())),
                            ("kafka_partition", Json::from(element.partition())),
                        ]),
                        object(vec![("kafka_offset", Json::from(offset))]),
                    ));
                }
            }
            Ok(out)
        })
        .await
    }

    /// Commits the given offsets; a `None` offset goes back to the start of the partition.
    pub(crate) async fn alter(&self, entries: &[OffsetEntry]) -> Result<()> {
        let parsed = entries
            .iter()
            .map(parse_entry)
            .collect::<Result<Vec<_>>>()?;
        let client = self.client.clone();
        blocking(move || {
            let consumer = Self::consumer(&client)?;
            let mut list = TopicPartitionList::new();
            for (topic, partition, offset) in parsed {
                let offset = match offset {
                    Some(o) => o,
                    None => {
                        consumer
                            .fetch_watermarks(&topic, partition, TIMEOUT)
                            .map_err(|e| {
                                RuntimeError::Unavailable(format!(
                                    "Cannot read offsets of {topic}-{partition}: {e}"
                                ))
                            })?
                            .0
                    }
                };
                list.add_partition_offset(&topic, partition, Offset::Offset(offset))
                    .map_err(|e| {
                        RuntimeError::InvalidRequest(format!(
                            "Invalid offset for {topic}-{partition}: {e}"
                        ))
                    })?;
            }
            consumer
                .commit(&list, CommitMode::Sync)
                .map_err(|e| RuntimeError::Unavailable(format!("Cannot commit offsets: {e}")))
        })
        .await
    }

    /// Forgets the group's offsets: deletes the group, or, where the broker cannot, commits
    /// the start of every partition.
    pub(crate) async fn reset(&self) -> Result<()> {
        let admin: AdminClient<DefaultClientContext> = self
            .client
            .create()
            .map_err(|e| RuntimeError::kafka("Cannot create an admin client", e))?;
        let deleted = admin
            .delete_groups(
                &[self.group.as_str()],
                &AdminOptions::new().request_timeout(Some(TIMEOUT)),
            )
            .await;
        if matches!(deleted.as_deref(), Ok([Ok(_)])) {
            return Ok(());
        }
        let client = self.client.clone();
        let topics = self.topics.clone();
        let regex = self.regex.clone();
        blocking(move || {
            let consumer = Self::consumer(&client)?;
            let partitions = Self::partitions(&consumer, &topics, regex.as_deref())?;
            let mut list = TopicPartitionList::new();
            for element in partitions.elements() {
                let (low, _) = consumer
                    .fetch_watermarks(element.topic(), element.partition(), TIMEOUT)
                    .map_err(|e| RuntimeError::Unavailable(format!("Cannot read offsets: {e}")))?;
                let _ = list.add_partition_offset(
                    element.topic(),
                    element.partition(),
                    Offset::Offset(low),
                );
            }
            if list.count() == 0 {
                return Ok(());
            }
            consumer
                .commit(&list, CommitMode::Sync)
                .map_err(|e| RuntimeError::Unavailable(format!("Cannot commit offsets: {e}")))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Json) -> OffsetMap {
        v.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn parses_kafka_connect_sink_offsets() {
        let entry = (
            map(json!({"kafka_topic": "t", "kafka_partition": 2})),
            Some(map(json!({"kafka_offset": 5}))),
        );
        assert_eq!(parse_entry(&entry).unwrap(), ("t".to_string(), 2, Some(5)));
        let reset = (
            map(json!({"kafka_topic": "t", "kafka_partition": "3"})),
            None,
        );
        assert_eq!(parse_entry(&reset).unwrap(), ("t".to_string(), 3, None));
    }

    #[test]
    fn rejects_malformed_sink_offsets() {
        for (partition, offset) in [
            (
                json!({"kafka_partition": 0}),
                Some(json!({"kafka_offset": 1})),
            ),
            (
                json!({"kafka_topic": "t"}),
                Some(json!({"kafka_offset": 1})),
            ),
            (json!({"kafka_topic": "t", "kafka_partition": -1}), None),
            (
                json!({"kafka_topic": "t", "kafka_partition": 0}),
                Some(json!({"kafka_offset": -4})),
            ),
            (
                json!({"kafka_topic": "t", "kafka_partition": 0}),
                Some(json!({"position": 1})),
            ),
        ] {
            let entry = (map(partition), offset.map(map));
            assert!(
                matches!(parse_entry(&entry), Err(RuntimeError::InvalidRequest(_))),
                "{entry:?}"
            );
        }
    }
}
