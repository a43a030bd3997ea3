//! `DropHeaders`: removes every header with one of the configured keys, e.g. internal
//! tracing headers a sink system must not see.

use std::collections::HashSet;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Importance, Properties, Validator};
use connect_core::plugin::Plugin;
use connect_core::{ConnectRecord, Result, Transformation};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.DropHeaders";

const HEADERS: &str = "headers";

/// Removes headers by key (case-sensitive, every occurrence).
#[derive(Debug)]
pub struct DropHeaders {
    headers: HashSet<String>,
}

impl DropHeaders {
    /// The settings, as Kafka's DropHeaders declares them.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                HEADERS,
                ConfigType::List,
                Importance::High,
                "Keys of the headers to remove.",
            )
            .with_validator(Validator::NonEmptyList),
        )
    }

    /// Configures the transformation.
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        Ok(Self {
            headers: config
                .list(HEADERS)
                .unwrap_or_default()
                .iter()
                .cloned()
                .collect(),
        })
    }
}

impl Transformation for DropHeaders {
    fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        record.headers.retain(|h| !self.headers.contains(&h.key));
        Ok(Some(record))
    }
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Removes every header whose key is in the configured list.",
        DropHeaders::config_def,
        |props| Ok(Box::new(DropHeaders::new(props)?)),
    )]
}
