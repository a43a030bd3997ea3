//! `Filter`: drops every record it sees. Alone it discards a whole stream; with a predicate
//! (`transforms.<alias>.predicate`) it drops exactly the records the predicate selects.

use connect_core::config::{ConfigDef, Properties};
use connect_core::plugin::Plugin;
use connect_core::{ConnectRecord, Result, Transformation};

/// The Kafka Connect class name.
pub const CLASS: &str = "org.apache.kafka.connect.transforms.Filter";

/// Drops every record.
#[derive(Debug, Default)]
pub struct Filter;

impl Filter {
    /// No settings.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }

    /// Configures the transformation (there is nothing to configure).
    pub fn new(_props: &Properties) -> Result<Self> {
        Ok(Self)
    }
}

impl Transformation for Filter {
    fn apply(&mut self, _record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        Ok(None)
    }
}

/// The registry entry.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![crate::transformation_plugin(
        CLASS,
        "Drops every record; combine it with a predicate to drop only the records the predicate matches.",
        Filter::config_def,
        |props| Ok(Box::new(Filter::new(props)?)),
    )]
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;

    #[test]
    fn drops_everything() {
        let mut filter = Filter;
        let record = ConnectRecord::source("t", None, Value::Int32(1));
        assert_eq!(filter.apply(record).expect("apply"), None);
    }
}
