//! The `errors.*` settings of one connector.

use std::time::Duration;

use connect_core::config::Properties;
use connect_core::{ConfigValue, ConnectError};

use crate::connector_config::error_handling_config_def;

/// How long a retriable failure is retried (`errors.retry.timeout`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryTimeout {
    /// Fail (or skip) at the first failure: Kafka's default of 0.
    Never,
    /// Retry until this much time has passed since the first failure.
    For(Duration),
    /// Retry without limit (`-1`).
    Forever,
}

/// A connector's error handling settings, parsed once per task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorHandlingConfig {
    /// `errors.retry.timeout`.
    pub retry_timeout: RetryTimeout,
    /// `errors.retry.delay.max.ms`: the cap of the exponential backoff between retries.
    pub retry_delay_max: Duration,
    /// `errors.tolerance=all`: skip failed records instead of failing the task.
    pub tolerate_all: bool,
    /// `errors.log.enable`.
    pub log_enable: bool,
    /// `errors.log.include.messages`.
    pub log_include_messages: bool,
    /// `errors.deadletterqueue.topic.name`, when set (sink connectors only).
    pub dlq_topic: Option<String>,
    /// `errors.deadletterqueue.topic.replication.factor`, used if the topic must be created.
    pub dlq_replication_factor: i16,
    /// `errors.deadletterqueue.context.headers.enable`.
    pub dlq_context_headers: bool,
}

impl Default for ErrorHandlingConfig {
    fn default() -> Self {
        Self {
            retry_timeout: RetryTimeout::Never,
            retry_delay_max: Duration::from_millis(60_000),
            tolerate_all: false,
            log_enable: false,
            log_include_messages: false,
            dlq_topic: None,
            dlq_replication_factor: 3,
            dlq_context_headers: false,
        }
    }
}

impl ErrorHandlingConfig {
    /// Reads the settings from a connector config, with Kafka's defaults and validation
    /// (the same definitions `ValidateConnectorConfig` reports on).
    pub fn from_connector_config(props: &Properties, sink: bool) -> Result<Self, ConnectError> {
        let connector_type = sink.then_some(connect_core::connector::ConnectorType::Sink);
        let parsed = error_handling_config_def(connector_type).parse(props)?;
        let long = |key: &str, default: i64| parsed.long(key).unwrap_or(default);
        let retry_timeout = match long("errors.retry.timeout", 0) {
            0 => RetryTimeout::Never,
            ms if ms < 0 => RetryTimeout::Forever,
            ms => RetryTimeout::For(Duration::from_millis(ms as u64)),
        };
        let dlq_topic = if sink {
            parsed
                .string("errors.deadletterqueue.topic.name")
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        } else {
            None
        };
        let dlq_replication_factor =
            match parsed.get("errors.deadletterqueue.topic.replication.factor") {
                Some(ConfigValue::Short(rf)) => *rf,
                _ => 3,
            };
        Ok(Self {
            retry_timeout,
            retry_delay_max: Duration::from_millis(
                long("errors.retry.delay.max.ms", 60_000).max(1) as u64,
            ),
            tolerate_all: parsed
                .string("errors.tolerance")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("all")),
            log_enable: parsed.boolean("errors.log.enable").unwrap_or(false),
            log_include_messages: parsed
                .boolean("errors.log.include.messages")
                .unwrap_or(false),
            dlq_topic,
            dlq_replication_factor,
            dlq_context_headers: sink
                && parsed
                    .boolean("errors.deadletterqueue.context.headers.enable")
                    .unwrap_or(false),
        })
    }

    /// Whether a sink task may report single records it cannot write (Kafka's
    /// `ErrantRecordReporter` exists only when there is somewhere to report them to).
    pub fn errant_reporting_enabled(&self) -> bool {
        self.dlq_topic.is_some() || self.log_enable
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    #[test]
    fn defaults_fail_fast_without_reporting() {
        let config = ErrorHandlingConfig::from_connector_config(&Properties::new(), true)
            .expect("defaults are valid");
        assert_eq!(config, ErrorHandlingConfig::default());
        assert!(!config.errant_reporting_enabled());
    }

    #[test]
    fn reads_every_key() {
        let props = properties(&[
            ("errors.retry.timeout", "-1"),
            ("errors.retry.delay.max.ms", "250"),
            ("errors.tolerance", "all"),
            ("errors.log.enable", "true"),
            ("errors.log.include.messages", "true"),
            ("errors.deadletterqueue.topic.name", " dlq "),
            ("errors.deadletterqueue.topic.replication.factor", "1"),
            ("errors.deadletterqueue.context.headers.enable", "true"),
        ]);
        let config = ErrorHandlingConfig::from_connector_config(&props, true).expect("valid");
        assert_eq!(config.retry_timeout, RetryTimeout::Forever);
        assert_eq!(config.retry_delay_max, Duration::from_millis(250));
        assert!(config.tolerate_all && config.log_enable && config.log_include_messages);
        assert_eq!(config.dlq_topic.as_deref(), Some("dlq"));
        assert_eq!(config.dlq_replication_factor, 1);
        assert!(config.dlq_context_headers);
        // Source connectors have no dead letter queue.
        let source = ErrorHandlingConfig::from_connector_config(&props, false).expect("valid");
        assert_eq!(source.dlq_topic, None);
    }

    #[test]
    fn rejects_unknown_tolerance_with_kafka_wording() {
        let props = properties(&[("errors.tolerance", "some")]);
        let err = ErrorHandlingConfig::from_connector_config(&props, true)
            .expect_err("'some' is not a tolerance");
        assert!(err.to_string().contains("errors.tolerance"), "{err}");
    }
}
