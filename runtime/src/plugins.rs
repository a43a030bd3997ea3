//! Instantiating a connector's converters from its config and the worker's defaults.
//!
//! As in Kafka Connect: a connector that names its own `key.converter` uses the settings
//! under its own `key.converter.` prefix; otherwise the worker's converter and the worker's
//! prefixed settings apply. Worker defaults are JSON with schemas for keys and values and the
//! simple header converter for headers, like Kafka's sample standalone config.

use std::sync::Arc;

use connect_core::config::{Properties, originals_with_prefix};
use connect_core::plugin::{PluginFactory, PluginKind, PluginRegistry};
use connect_core::{ConnectError, Converter, ConverterType, HeaderConverter};

use crate::connector_config::{HEADER_CONVERTER, KEY_CONVERTER, VALUE_CONVERTER};

/// The default key and value converter of a worker that does not name one.
pub const DEFAULT_CONVERTER: &str = "org.apache.kafka.connect.json.JsonConverter";
/// The default header converter.
pub const DEFAULT_HEADER_CONVERTER: &str = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

/// The converters one connector's tasks use.
#[derive(Clone)]
pub struct ConnectorConverters {
    /// For record keys.
    pub key: Arc<dyn Converter>,
    /// For record values.
    pub value: Arc<dyn Converter>,
    /// For header values.
    pub header: Arc<dyn HeaderConverter>,
    /// The class names of the key, value and header converters, for error reports
    /// (`__connect.errors.class.name`).
    pub class_names: ConverterClassNames,
}

/// Which converter classes a connector uses.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConverterClassNames {
    /// The key converter's class.
    pub key: String,
    /// The value converter's class.
    pub value: String,
    /// The header converter's class.
    pub header: String,
}

impl std::fmt::Debug for ConnectorConverters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorConverters")
            .finish_non_exhaustive()
    }
}

/// The class named by `key` and the settings that go with it: the connector's if it names
/// the class, else the worker's, else `default` with no settings.
fn choose<'a>(
    key: &str,
    connector: &'a Properties,
    worker: &'a Properties,
    default: &str,
) -> (String, Properties) {
    let prefix = format!("{key}.");
    let named = |props: &Properties| {
        props
            .get(key)
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
    };
    match (named(connector), named(worker)) {
        (Some(class), _) => (class, originals_with_prefix(connector, &prefix)),
        (None, Some(class)) => (class, originals_with_prefix(worker, &prefix)),
        (None, None) => (default.to_string(), Properties::new()),
    }
}

fn not_found(key: &str, class: &str) -> ConnectError {
    ConnectError::invalid_config_value(key, class, format!("Class {class} could not be found."))
}

/// Builds the key, value and header converters of a connector.
pub fn build_converters(
    registry: &PluginRegistry,
    worker: &Properties,
    connector: &Properties,
) -> Result<ConnectorConverters, ConnectError> {
    let mut converters = Vec::with_capacity(2);
    let mut class_names = ConverterClassNames::default();
    for (key, kind) in [
        (KEY_CONVERTER, ConverterType::Key),
        (VALUE_CONVERTER, ConverterType::Value),
    ] {
        let (class, settings) = choose(key, connector, worker, DEFAULT_CONVERTER);
        let plugin = registry
            .find(&class, &[PluginKind::Converter])
            .ok_or_else(|| not_found(key, &class))?;
        let PluginFactory::Converter(create) = plugin.factory else {
            return Err(not_found(key, &class));
        };
        converters.push(create(&settings, kind)?);
        match kind {
            ConverterType::Key => class_names.key = plugin.class_name.to_string(),
            _ => class_names.value = plugin.class_name.to_string(),
        }
    }
    let (class, settings) = choose(
        HEADER_CONVERTER,
        connector,
        worker,
        DEFAULT_HEADER_CONVERTER,
    );
    let plugin = registry
        .find(&class, &[PluginKind::HeaderConverter])
        .ok_or_else(|| not_found(HEADER_CONVERTER, &class))?;
    let PluginFactory::HeaderConverter(create) = plugin.factory else {
        return Err(not_found(HEADER_CONVERTER, &class));
    };
    let header = create(&settings)?;
    class_names.header = plugin.class_name.to_string();
    let value = converters
        .pop()
        .ok_or_else(|| ConnectError::connect("value converter missing"))?;
    let key = converters
        .pop()
        .ok_or_else(|| ConnectError::connect("key converter missing"))?;
    Ok(ConnectorConverters {
        key,
        value,
        header,
        class_names,
    })
}
