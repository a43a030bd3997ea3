//! `HasHeaderKey`: true for records that carry at least one header with a given key, e.g. to
//! route or drop records that an upstream system marked with a header.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{ConnectRecord, Predicate, Result};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";

const NAME_CONFIG: &str = "name";

/// True when a header named `name` is present (whatever its value, null included).
#[derive(Debug)]
pub struct HasHeaderKey {
    name: String,
}

impl HasHeaderKey {
    /// The settings: `name`, the header key (case-sensitive).
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                NAME_CONFIG,
                ConfigType::String,
                Importance::Medium,
                "The header key whose presence makes the predicate true (case-sensitive).",
            )
            .with_validator(Validator::NonEmptyString),
        )
    }

    /// Configures the predicate.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        Ok(Self {
            name: config.string(NAME_CONFIG).unwrap_or_default().to_string(),
        })
    }
}

impl Predicate for HasHeaderKey {
    fn test(&self, record: &ConnectRecord) -> Result<bool> {
        Ok(record.headers.all_with_name(&self.name).next().is_some())
    }
}

/// The registry entry.
pub(crate) fn plugin() -> Plugin {
    crate::predicate_plugin(
        CLASS,
        "True for records that have at least one header with the configured key.",
        HasHeaderKey::config_def,
        |props| Ok(Box::new(HasHeaderKey::new(props)?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;
    use connect_core::config::properties;

    #[test]
    fn looks_for_the_exact_key() {
        let p = HasHeaderKey::new(&properties(&[("name", "trace")])).expect("valid");
        let mut record = ConnectRecord::source("t", None, Value::Null);
        assert!(!p.test(&record).expect("test"));
        record.headers.add("Trace", None, Value::Null);
        assert!(!p.test(&record).expect("test"));
        record.headers.add("trace", None, Value::Null);
        assert!(p.test(&record).expect("test"));
    }
}
