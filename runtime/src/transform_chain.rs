//! The per-connector chain of single message transforms, applied to every record between
//! the connector and the converters (source) or the converters and the connector (sink).
//!
//! This is the hook the data path calls. Transformations themselves are plugins; until some
//! are installed the chain of every valid config is empty and passes records through, and a
//! config naming a transform is rejected by validation with Kafka's "could not be found".

use connect_core::{ConnectError, ConnectRecord, Properties};

/// The ordered transforms of one connector.
#[derive(Debug, Default)]
pub struct TransformChain {
    aliases: Vec<String>,
}

impl TransformChain {
    /// The chain a connector config asks for (`transforms`, `transforms.<alias>.type`, ...).
    pub fn from_config(props: &Properties) -> Result<Self, ConnectError> {
        let aliases: Vec<String> = props
            .get("transforms")
            .map(|t| {
                t.split(',')
                    .map(str::trim)
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        if let Some(alias) = aliases.first() {
            let key = format!("transforms.{alias}.type");
            let class = props.get(&key).cloned().unwrap_or_default();
            return Err(ConnectError::invalid_config_value(
                &key,
                &class,
                format!("Class {class} could not be found."),
            ));
        }
        Ok(Self { aliases })
    }

    /// Whether the chain does nothing (records pass unchanged).
    pub fn is_empty(&self) -> bool {
        self.aliases.is_empty()
    }

    /// Runs a record through every stage; `None` means a stage dropped it.
    pub fn apply(&self, record: ConnectRecord) -> Result<Option<ConnectRecord>, ConnectError> {
        Ok(Some(record))
    }
}
