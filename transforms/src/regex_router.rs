//! `RegexRouter`: renames the topic of records whose topic matches a Java regular
//! expression, with a Java replacement string (`$1`, `${name}`), e.g. to route
//! `db.public.orders` to `orders`. Topics that do not match in full keep their name.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectError, ConnectRecord, Result, Transformation};

use crate::java_regex::{self, JavaRegex};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.RegexRouter";

const REGEX: &str = "regex";
const REPLACEMENT: &str = "replacement";

/// Rewrites matching topic names.
#[derive(Debug)]
pub struct RegexRouter {
    regex: JavaRegex,
    replacement: String,
}

impl RegexRouter {
    /// The settings, as Kafka's RegexRouter declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(
                    REGEX,
                    ConfigType::String,
                    Importance::High,
                    "Java regular expression that must match the whole topic name.",
                )
                .with_validator(java_regex::validator()),
            )
            .define(ConfigKey::new(
                REPLACEMENT,
                ConfigType::String,
                Importance::High,
                "The new topic name, in Java replacement syntax: $1 or ${name} insert a group, \\$ a dollar sign.",
            ))
    }

    /// Configures the transformation.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let text = config.string(REGEX).unwrap_or_default();
        let regex = JavaRegex::compile(text).map_err(|reason| {
            ConnectError::invalid_config_value(REGEX, text, format_args!("Invalid regex: {reason}"))
        })?;
        Ok(Self {
            regex,
            replacement: config.string(REPLACEMENT).unwrap_or_default().to_string(),
        })
    }
}

impl Transformation for RegexRouter {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        if self.regex.matches(&record.topic) {
            record.topic = self.regex.replace_first(&record.topic, &self.replacement)?;
        }
        Ok(Some(record))
    }
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Renames topics that match a Java regular expression, using a Java replacement string.",
        RegexRouter::config_def,
        |props| Ok(Box::new(RegexRouter::new(props)?)),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;
    use connect_core::config::properties;

    #[test]
    fn invalid_patterns_fail_configuration_with_java_messages() {
        let err = RegexRouter::new(&properties(&[("regex", "("), ("replacement", "x")]))
            .expect_err("unclosed group");
        assert_eq!(
            err.message(),
            "Invalid value ( for configuration regex: Invalid regex: Unclosed group near index 1"
        );
    }

    #[test]
    fn only_whole_matches_are_routed() {
        let mut smt = RegexRouter::new(&properties(&[
            ("regex", "db\\.public\\.(.*)"),
            ("replacement", "$1"),
        ]))
        .expect("config");
        let routed = smt
            .apply(ConnectRecord::source("db.public.orders", None, Value::Null))
            .expect("apply")
            .expect("kept");
        assert_eq!(routed.topic, "orders");
        let kept = smt
            .apply(ConnectRecord::source(
                "xdb.public.orders",
                None,
                Value::Null,
            ))
            .expect("apply")
            .expect("kept");
        assert_eq!(kept.topic, "xdb.public.orders");
    }
}
