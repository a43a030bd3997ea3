//! `TopicNameMatches`: true for records whose topic name matches a Java regular expression
//! in full, to apply a transformation to some topics of a multi-topic connector only.

use std::sync::Arc;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Predicate, Result};

use crate::java_regex::JavaRegex;

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";

const PATTERN_CONFIG: &str = "pattern";

/// Matches the whole topic name against `pattern` (Java's `Matcher.matches()`).
#[derive(Debug)]
pub struct TopicNameMatches {
    pattern: JavaRegex,
}

impl TopicNameMatches {
    /// The settings: `pattern`, a non-empty Java regex, checked at configuration time.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                PATTERN_CONFIG,
                ConfigType::String,
                Importance::Medium,
                "A Java regular expression that must match the whole topic name for the predicate to be true.",
            )
            .with_validator(Validator::Custom {
                description: "non-empty string, valid regex".to_string(),
                check: Arc::new(|name, value| {
                    let text = value.to_string();
                    if text.is_empty() {
                        return Err(ConnectError::invalid_config_value(
                            name,
                            &text,
                            "String must be non-empty",
                        ));
                    }
                    JavaRegex::compile(&text).map(|_| ()).map_err(|reason| {
                        ConnectError::invalid_config_value(
                            name,
                            &text,
                            format_args!("Invalid regex: {reason}"),
                        )
                    })
                }),
            }),
        )
    }

    /// Configures the predicate.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let text = config.string(PATTERN_CONFIG).unwrap_or_default();
        let pattern = JavaRegex::compile(text).map_err(|reason| {
            ConnectError::invalid_config_value(
                PATTERN_CONFIG,
                text,
                format_args!("Invalid regex: {reason}"),
            )
        })?;
        Ok(Self { pattern })
    }
}

impl Predicate for TopicNameMatches {
    fn test(&self, record: &ConnectRecord) -> Result<bool> {
        Ok(self.pattern.matches(&record.topic))
    }
}

/// The registry entry.
pub(crate) fn plugin() -> Plugin {
    crate::predicate_plugin(
        CLASS,
        "True for records whose topic name matches a Java regular expression in full.",
        TopicNameMatches::config_def,
        |props| Ok(Box::new(TopicNameMatches::new(props)?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;
    use connect_core::config::properties;

    #[test]
    fn matches_the_whole_topic_only() {
        let p = TopicNameMatches::new(&properties(&[("pattern", "ord.*")])).expect("valid");
        assert!(
            p.test(&ConnectRecord::source("orders", None, Value::Null))
                .expect("test")
        );
        assert!(
            !p.test(&ConnectRecord::source("my-orders", None, Value::Null))
                .expect("test")
        );
    }

    #[test]
    fn bad_patterns_fail_configuration_with_kafka_messages() {
        let err = TopicNameMatches::new(&properties(&[("pattern", "*x")])).expect_err("bad");
        assert_eq!(
            err.message(),
            "Invalid value *x for configuration pattern: Invalid regex: Dangling meta character '*' near index 0"
        );
        let err = TopicNameMatches::new(&properties(&[])).expect_err("missing");
        assert_eq!(
            err.message(),
            "Missing required configuration \"pattern\" which has no default value."
        );
    }
}
