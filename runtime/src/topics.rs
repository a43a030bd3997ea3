//! Making sure a source task's destination topics exist.
//!
//! Kafka clusters usually create topics on first use, but not all do (auto-creation is
//! often disabled in production, and some Kafka-compatible brokers never do it). Like
//! Kafka Connect's topic creation (KIP-158), a source task creates a missing topic before
//! its first record, using the connector's `topic.creation.default.partitions` and
//! `topic.creation.default.replication.factor` (plus any other `topic.creation.default.*`
//! setting as a topic config), or the broker's defaults when they are not set.

use std::collections::HashSet;
use std::time::Duration;

use connect_core::ConnectError;
use connect_core::config::{Properties, originals_with_prefix};
use rdkafka::ClientConfig;
use rdkafka::admin::{AdminClient, AdminOptions, NewTopic, TopicReplication};
use rdkafka::client::DefaultClientContext;
use rdkafka::producer::{Producer, ProducerContext};
use rdkafka::types::RDKafkaErrorCode;
use tracing::info;

const TIMEOUT: Duration = Duration::from_secs(10);

/// How new topics are created.
#[derive(Clone, Debug, Default)]
struct TopicSettings {
    partitions: Option<i32>,
    replication: Option<i32>,
    configs: Vec<(String, String)>,
}

/// Creates a source task's topics on first use and remembers which exist.
pub(crate) struct TopicCreator {
    admin_config: ClientConfig,
    settings: TopicSettings,
    known: HashSet<String>,
}

impl TopicCreator {
    /// A creator for a connector's config, using `admin_config` to reach the cluster.
    pub(crate) fn new(admin_config: ClientConfig, connector: &Properties) -> Self {
        let mut defaults = originals_with_prefix(connector, "topic.creation.default.");
        let number = |value: Option<String>| value.and_then(|v| v.trim().parse::<i32>().ok());
        let settings = TopicSettings {
            partitions: number(defaults.remove("partitions")),
            replication: number(defaults.remove("replication.factor")),
            configs: defaults.into_iter().collect(),
        };
        Self {
            admin_config,
            settings,
            known: HashSet::new(),
        }
    }

    /// Ensures `topic` exists, creating it if the cluster does not know it.
    pub(crate) async fn ensure<C, P>(
        &mut self,
        producer: &P,
        topic: &str,
    ) -> Result<(), ConnectError>
    where
        C: ProducerContext + 'static,
        P: Producer<C> + Clone + Send + 'static,
    {
        if self.known.contains(topic) {
            return Ok(());
        }
        if exists(producer, topic).await? {
            self.known.insert(topic.to_string());
            return Ok(());
        }
        self.create(topic).await?;
        self.known.insert(topic.to_string());
        Ok(())
    }

    async fn create(&self, topic: &str) -> Result<(), ConnectError> {
        let admin: AdminClient<DefaultClientContext> = self
            .admin_config
            .create()
            .map_err(|e| ConnectError::retriable(format!("Cannot create an admin client: {e}")))?;
        // -1 asks the broker for its defaults; brokers that refuse it get 1.
        let mut attempts = vec![(
            self.settings.partitions.unwrap_or(-1),
            self.settings.replication.unwrap_or(-1),
        )];
        if self.settings.partitions.is_none() || self.settings.replication.is_none() {
            attempts.push((
                self.settings.partitions.unwrap_or(1),
                self.settings.replication.unwrap_or(1),
            ));
        }
        let mut last = String::new();
        for (partitions, replication) in attempts {
            let mut new_topic =
                NewTopic::new(topic, partitions, TopicReplication::Fixed(replication));
            for (k, v) in &self.settings.configs {
                new_topic = new_topic.set(k, v);
            }
            let options = AdminOptions::new()
                .operation_timeout(Some(TIMEOUT))
                .request_timeout(Some(TIMEOUT));
            match admin.create_topics(&[new_topic], &options).await {
                Ok(results) => match results.into_iter().next() {
                    Some(Ok(_)) => {
                        info!(%topic, partitions, replication, "Created topic.");
                        return Ok(());
                    }
                    Some(Err((_, RDKafkaErrorCode::TopicAlreadyExists))) | None => return Ok(()),
                    Some(Err((_, code))) => last = format!("{code:?}"),
                },
                Err(e) => {
                    return Err(ConnectError::retriable(format!(
                        "Cannot create topic {topic}: {e}"
                    )));
                }
            }
        }
        Err(ConnectError::connect(format!(
            "Cannot create topic {topic}: {last}"
        )))
    }
}

/// Whether the cluster knows `topic` (with at least one partition).
async fn exists<C, P>(producer: &P, topic: &str) -> Result<bool, ConnectError>
where
    C: ProducerContext + 'static,
    P: Producer<C> + Clone + Send + 'static,
{
    let producer = producer.clone();
    let name = topic.to_string();
    tokio::task::spawn_blocking(move || {
        let metadata = producer
            .client()
            .fetch_metadata(Some(&name), TIMEOUT)
            .map_err(|e| {
                ConnectError::retriable(format!("Cannot read metadata of topic {name}: {e}"))
            })?;
        Ok(metadata
            .topics()
            .iter()
            .any(|t| t.name() == name && t.error().is_none() && !t.partitions().is_empty()))
    })
    .await
    .map_err(|e| ConnectError::connect(format!("Metadata lookup stopped: {e}")))?
}
