//! The worker's own settings (Kafka Connect's `worker.properties`).
//!
//! Keys are Kafka Connect's where one exists (`bootstrap.servers`, `offset.flush.interval.ms`,
//! `key.converter`, `producer.*`...), so an existing standalone worker file works unchanged.

use std::path::PathBuf;
use std::time::Duration;

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};

use crate::error::{Result, RuntimeError};

/// `bootstrap.servers`: the Kafka cluster to use.
pub const BOOTSTRAP_SERVERS: &str = "bootstrap.servers";
/// `offset.flush.interval.ms`: how often source offsets and sink commits are flushed.
pub const OFFSET_FLUSH_INTERVAL_MS: &str = "offset.flush.interval.ms";
/// `offset.flush.timeout.ms`: how long a flush may wait for outstanding records.
pub const OFFSET_FLUSH_TIMEOUT_MS: &str = "offset.flush.timeout.ms";
/// `task.shutdown.graceful.timeout.ms`: how long stopping tasks may take.
pub const TASK_SHUTDOWN_TIMEOUT_MS: &str = "task.shutdown.graceful.timeout.ms";
/// `offset.storage.file.filename`: the standalone source offset file.
pub const OFFSET_STORAGE_FILE: &str = "offset.storage.file.filename";
/// `config.storage.file.filename`: the standalone connector config file.
pub const CONFIG_STORAGE_FILE: &str = "config.storage.file.filename";

/// The worker's settings, parsed.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Kafka bootstrap servers.
    pub bootstrap_servers: String,
    /// How this worker is named in statuses.
    pub worker_id: String,
    /// How often source offsets are written and sink offsets committed.
    pub offset_flush_interval: Duration,
    /// How long a flush waits for outstanding records.
    pub offset_flush_timeout: Duration,
    /// How long stopping a task may take before it is abandoned.
    pub task_shutdown_timeout: Duration,
    /// The source offsets file (`None`: memory only).
    pub offsets_file: Option<PathBuf>,
    /// The connector config file (`None`: memory only).
    pub configs_file: Option<PathBuf>,
    /// Every setting as given, for converter and client prefixes.
    pub props: Properties,
}

impl WorkerConfig {
    /// The worker settings with Kafka's defaults.
    pub fn config_def() -> ConfigDef {
        let ms = |name: &str, default: i64, doc: &str| {
            ConfigKey::new(name, ConfigType::Long, Importance::Medium, doc)
                .with_default(ConfigValue::Long(default))
                .with_validator(Validator::Range {
                    min: Some(0),
                    max: None,
                })
        };
        ConfigDef::new()
            .define(ConfigKey::new(
                BOOTSTRAP_SERVERS,
                ConfigType::List,
                Importance::High,
                "Kafka brokers to connect to (host:port, comma-separated).",
            ))
            .define(ms(
                OFFSET_FLUSH_INTERVAL_MS,
                60_000,
                "How often source tasks write their acknowledged offsets and sink tasks flush and commit.",
            ))
            .define(ms(
                OFFSET_FLUSH_TIMEOUT_MS,
                5_000,
                "How long an offset flush may wait for outstanding records to be acknowledged.",
            ))
            .define(ms(
                TASK_SHUTDOWN_TIMEOUT_MS,
                5_000,
                "How long stopping a task (final flush and commit included) may take.",
            ))
            .define(
                ConfigKey::new(
                    OFFSET_STORAGE_FILE,
                    ConfigType::String,
                    Importance::High,
                    "File holding source connector offsets (standalone mode).",
                )
                .with_null_default(),
            )
            .define(
                ConfigKey::new(
                    CONFIG_STORAGE_FILE,
                    ConfigType::String,
                    Importance::High,
                    "File holding connector configurations and target states (standalone mode).",
                )
                .with_null_default(),
            )
    }

    /// Parses worker settings; `worker_id` names this worker in statuses.
    pub fn new(props: Properties, worker_id: impl Into<String>) -> Result<Self> {
        let parsed = Self::config_def()
            .parse(&props)
            .map_err(RuntimeError::Connect)?;
        let millis =
            |name: &str| Duration::from_millis(parsed.long(name).unwrap_or(0).max(0) as u64);
        let bootstrap_servers = parsed.list(BOOTSTRAP_SERVERS).unwrap_or_default().join(",");
        if bootstrap_servers.is_empty() {
            return Err(RuntimeError::InvalidRequest(
                "bootstrap.servers must name at least one Kafka broker".to_string(),
            ));
        }
        Ok(Self {
            bootstrap_servers,
            worker_id: worker_id.into(),
            offset_flush_interval: millis(OFFSET_FLUSH_INTERVAL_MS),
            offset_flush_timeout: millis(OFFSET_FLUSH_TIMEOUT_MS),
            task_shutdown_timeout: millis(TASK_SHUTDOWN_TIMEOUT_MS),
            offsets_file: parsed.string(OFFSET_STORAGE_FILE).map(PathBuf::from),
            configs_file: parsed.string(CONFIG_STORAGE_FILE).map(PathBuf::from),
            props,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use connect_core::config::properties as props;

    #[test]
    fn defaults_follow_kafka_connect() {
        let config =
            WorkerConfig::new(props(&[("bootstrap.servers", "a:9092, b:9092")]), "w").unwrap();
        assert_eq!(config.bootstrap_servers, "a:9092,b:9092");
        assert_eq!(config.offset_flush_interval, Duration::from_secs(60));
        assert_eq!(config.task_shutdown_timeout, Duration::from_secs(5));
        assert!(config.offsets_file.is_none());
    }

    #[test]
    fn missing_or_bad_settings_are_reported() {
        assert!(WorkerConfig::new(props(&[]), "w").is_err());
        let err = WorkerConfig::new(
            props(&[
                ("bootstrap.servers", "a:1"),
                ("offset.flush.interval.ms", "soon"),
            ]),
            "w",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("offset.flush.interval.ms"),
            "{err}"
        );
    }
}
