//! Plugin descriptors and the registry that finds them by name.
//!
//! Plugins are listed explicitly by one registry function (no global registration magic), and
//! found by any of the names a Kafka Connect user might write: the full Java class name
//! (`org.apache.kafka.connect.file.FileStreamSourceConnector`), the simple name
//! (`FileStreamSourceConnector`) or the simple name without its type suffix
//! (`FileStreamSource`), exactly Kafka's alias rules.

use std::fmt;
use std::sync::Arc;

use crate::config::{ConfigDef, Properties};
use crate::connector::{ConnectorType, SinkConnector, SinkTask, SourceConnector, SourceTask};
use crate::converter::{Converter, ConverterType, HeaderConverter};
use crate::error::Result;
use crate::transform::{PredicateFactory, TransformationFactory};

/// The kinds of plugin, as listed by `ListPlugins`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PluginKind {
    /// A source connector.
    Source,
    /// A sink connector.
    Sink,
    /// A key/value converter.
    Converter,
    /// A header converter.
    HeaderConverter,
    /// A single message transform.
    Transformation,
    /// A predicate for conditional transforms.
    Predicate,
}

impl PluginKind {
    /// The suffix Kafka strips from a simple class name to make the short alias.
    fn alias_suffix(self) -> &'static str {
        match self {
            PluginKind::Source | PluginKind::Sink => "Connector",
            PluginKind::Converter => "Converter",
            PluginKind::HeaderConverter => "HeaderConverter",
            PluginKind::Transformation => "Transformation",
            PluginKind::Predicate => "Predicate",
        }
    }
}

impl fmt::Display for PluginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PluginKind::Source => "source",
            PluginKind::Sink => "sink",
            PluginKind::Converter => "converter",
            PluginKind::HeaderConverter => "header_converter",
            PluginKind::Transformation => "transformation",
            PluginKind::Predicate => "predicate",
        })
    }
}

/// Creates a converter from its settings (the `key.converter.`-style prefix removed).
pub type ConverterFactory = fn(&Properties, ConverterType) -> Result<Arc<dyn Converter>>;
/// Creates a header converter from its settings.
pub type HeaderConverterFactory = fn(&Properties) -> Result<Arc<dyn HeaderConverter>>;

/// How to instantiate a plugin.
#[derive(Clone, Copy)]
pub enum PluginFactory {
    /// A source connector and its task.
    Source {
        /// Creates the connector.
        connector: fn() -> Box<dyn SourceConnector>,
        /// Creates one task.
        task: fn() -> Box<dyn SourceTask>,
    },
    /// A sink connector and its task.
    Sink {
        /// Creates the connector.
        connector: fn() -> Box<dyn SinkConnector>,
        /// Creates one task.
        task: fn() -> Box<dyn SinkTask>,
    },
    /// A key/value converter.
    Converter(ConverterFactory),
    /// A header converter.
    HeaderConverter(HeaderConverterFactory),
    /// A single message transform.
    Transformation(TransformationFactory),
    /// A predicate for conditional transforms.
    Predicate(PredicateFactory),
}

/// One installed plugin.
#[derive(Clone)]
pub struct Plugin {
    /// The canonical class name: the Java class name for Kafka's built-ins, so configs carry
    /// over unchanged.
    pub class_name: &'static str,
    /// The plugin's version.
    pub version: &'static str,
    /// What the plugin does, in one sentence, for `ListPlugins`.
    pub summary: &'static str,
    /// The plugin's settings.
    pub config_def: fn() -> ConfigDef,
    /// How to create it.
    pub factory: PluginFactory,
}

impl fmt::Debug for Plugin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Plugin")
            .field("class_name", &self.class_name)
            .field("kind", &self.kind())
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl Plugin {
    /// The plugin's kind.
    pub fn kind(&self) -> PluginKind {
        match self.factory {
            PluginFactory::Source { .. } => PluginKind::Source,
            PluginFactory::Sink { .. } => PluginKind::Sink,
            PluginFactory::Converter(_) => PluginKind::Converter,
            PluginFactory::HeaderConverter(_) => PluginKind::HeaderConverter,
            PluginFactory::Transformation(_) => PluginKind::Transformation,
            PluginFactory::Predicate(_) => PluginKind::Predicate,
        }
    }

    /// The connector type, for connector plugins.
    pub fn connector_type(&self) -> Option<ConnectorType> {
        match self.factory {
            PluginFactory::Source { .. } => Some(ConnectorType::Source),
            PluginFactory::Sink { .. } => Some(ConnectorType::Sink),
            _ => None,
        }
    }

    /// The short names the plugin also answers to: the simple class name and, when it ends
    /// with the kind's suffix, the simple name without it. A nested class keeps its outer
    /// class in the simple name (`InsertField$Value`), because `Value` alone would be
    /// ambiguous between every SMT with key and value variants.
    pub fn aliases(&self) -> Vec<String> {
        let simple = self
            .class_name
            .rsplit('.')
            .next()
            .unwrap_or(self.class_name);
        let mut aliases = Vec::new();
        if simple != self.class_name {
            aliases.push(simple.to_string());
        }
        if let Some(pruned) = simple.strip_suffix(self.kind().alias_suffix())
            && !pruned.is_empty()
        {
            aliases.push(pruned.to_string());
        }
        aliases
    }

    /// Whether `name` is this plugin's class name or one of its aliases.
    pub fn answers_to(&self, name: &str) -> bool {
        self.class_name == name || self.aliases().iter().any(|a| a == name)
    }
}

/// The installed plugins.
#[derive(Clone, Debug, Default)]
pub struct PluginRegistry {
    plugins: Vec<Plugin>,
}

impl PluginRegistry {
    /// A registry of these plugins.
    pub fn new(plugins: Vec<Plugin>) -> Self {
        Self { plugins }
    }

    /// Every plugin, in registration order.
    pub fn plugins(&self) -> &[Plugin] {
        &self.plugins
    }

    /// The plugin a name (class name or alias) refers to, of one of the given kinds.
    pub fn find(&self, name: &str, kinds: &[PluginKind]) -> Option<&Plugin> {
        let name = name.trim();
        self.plugins
            .iter()
            .filter(|p| kinds.contains(&p.kind()))
            .find(|p| p.answers_to(name))
    }

    /// The connector plugin a `connector.class` value refers to.
    pub fn connector(&self, name: &str) -> Option<&Plugin> {
        self.find(name, &[PluginKind::Source, PluginKind::Sink])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::converter::SyncConverter;
    use crate::record::SchemaAndValue;
    use crate::schema::Schema;
    use crate::value::Value;

    struct Nothing;
    impl SyncConverter for Nothing {
        fn serialize(&self, _: Option<&Schema>, _: &Value) -> Result<Option<Vec<u8>>> {
            Ok(None)
        }
        fn deserialize(&self, _: Option<&[u8]>) -> Result<SchemaAndValue> {
            Ok(SchemaAndValue::NULL)
        }
    }

    fn plugin() -> Plugin {
        Plugin {
            class_name: "org.apache.kafka.connect.json.JsonConverter",
            version: "1",
            summary: "test",
            config_def: ConfigDef::new,
            factory: PluginFactory::Converter(|_, _| Ok(Arc::new(Nothing))),
        }
    }

    #[test]
    fn aliases_follow_kafka_rules() {
        assert_eq!(plugin().aliases(), ["JsonConverter", "Json"]);
        let registry = PluginRegistry::new(vec![plugin()]);
        for name in [
            "org.apache.kafka.connect.json.JsonConverter",
            "JsonConverter",
            "Json",
            " Json ",
        ] {
            assert!(
                registry.find(name, &[PluginKind::Converter]).is_some(),
                "{name}"
            );
        }
        assert!(registry.find("Json", &[PluginKind::Source]).is_none());
        assert!(registry.find("Jso", &[PluginKind::Converter]).is_none());
    }
}
