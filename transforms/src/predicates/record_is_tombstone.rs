//! `RecordIsTombstone`: true for records with a null value, the deletion markers of compacted
//! topics, which most value transformations must skip.

use connect_core::config::{ConfigDef, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectRecord, Predicate, Result};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone";

/// True when the record value is null, with or without a value schema.
#[derive(Debug, Default)]
pub struct RecordIsTombstone;

impl RecordIsTombstone {
    /// No settings.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }

    /// Configures the predicate (there is nothing to configure).
    pub fn new(_props: &Properties) -> Result<Self> {
        Ok(Self)
    }
}

impl Predicate for RecordIsTombstone {
    fn test(&self, record: &ConnectRecord) -> Result<bool> {
        Ok(record.value.is_null())
    }
}

/// The registry entry.
pub(crate) fn plugin() -> Plugin {
    crate::predicate_plugin(
        CLASS,
        "True for tombstones: records whose value is null.",
        RecordIsTombstone::config_def,
        |props| Ok(Box::new(RecordIsTombstone::new(props)?)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;

    #[test]
    fn null_values_are_tombstones() {
        let p = RecordIsTombstone;
        assert!(
            p.test(&ConnectRecord::source("t", None, Value::Null))
                .expect("test")
        );
        assert!(
            !p.test(&ConnectRecord::source("t", None, Value::Int32(1)))
                .expect("test")
        );
    }
}
