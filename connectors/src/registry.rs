//! Every built-in plugin, listed once.
//!
//! The runtime finds plugins here by the names Kafka Connect users write (class name, simple
//! name, or simple name without its type suffix, see [`connect_core::plugin`]). Nothing
//! registers itself: adding a plugin means adding it to [`registry`].
//!
//! Kafka lets its JSON, String and ByteArray converters also serve as header converters, so
//! they are listed twice, once per kind. A registry entry has one kind, and its aliases are
//! computed for that kind only: as header converters they answer to their class and simple
//! names (`JsonConverter`), not to the converter alias (`Json`), which Kafka also accepts
//! there because its alias table is global.

use std::sync::Arc;

use connect_converters::avro::AvroConverter;
use connect_converters::bytes::ByteArrayConverter;
use connect_converters::json::JsonConverter;
use connect_converters::simple_header::SimpleHeaderConverter;
use connect_converters::string::StringConverter;
use connect_core::ConverterType;
use connect_core::plugin::{Plugin, PluginFactory, PluginRegistry};

use crate::VERSION;
use crate::counting::{CountingSinkConnector, CountingSinkTask};
use crate::datagen::{DatagenConnector, DatagenTask};
use crate::file::{
    FileStreamSinkConnector, FileStreamSinkTask, FileStreamSourceConnector, FileStreamSourceTask,
};

const JSON_CONVERTER: &str = "org.apache.kafka.connect.json.JsonConverter";
const AVRO_CONVERTER: &str = "io.confluent.connect.avro.AvroConverter";
const BYTE_ARRAY_CONVERTER: &str = "org.apache.kafka.connect.converters.ByteArrayConverter";
const STRING_CONVERTER: &str = "org.apache.kafka.connect.storage.StringConverter";
const SIMPLE_HEADER_CONVERTER: &str = "org.apache.kafka.connect.storage.SimpleHeaderConverter";

/// The built-in connectors, converters, transformations and predicates, under their Kafka
/// Connect class names.
pub fn registry() -> PluginRegistry {
    let mut plugins = vec![
        Plugin {
            class_name: FileStreamSourceConnector::CLASS_NAME,
            version: VERSION,
            summary: "Reads the lines of a file, or of standard input, into a topic (Kafka's FileStreamSourceConnector).",
            config_def: FileStreamSourceConnector::config_def,
            factory: PluginFactory::Source {
                connector: || Box::new(FileStreamSourceConnector::default()),
                task: || Box::new(FileStreamSourceTask::default()),
            },
        },
        Plugin {
            class_name: FileStreamSinkConnector::CLASS_NAME,
            version: VERSION,
            summary: "Writes each record's value as a line to a file, or to standard output (Kafka's FileStreamSinkConnector).",
            config_def: FileStreamSinkConnector::config_def,
            factory: PluginFactory::Sink {
                connector: || Box::new(FileStreamSinkConnector::default()),
                task: || Box::new(FileStreamSinkTask::default()),
            },
        },
        Plugin {
            class_name: DatagenConnector::CLASS_NAME,
            version: VERSION,
            summary: "Generates deterministic users, orders, sequence or bytes records, optionally rate-limited, for demos, tests and benchmarks.",
            config_def: DatagenConnector::config_def,
            factory: PluginFactory::Source {
                connector: || Box::new(DatagenConnector::default()),
                task: || Box::new(DatagenTask::default()),
            },
        },
        Plugin {
            class_name: CountingSinkConnector::CLASS_NAME,
            version: VERSION,
            summary: "Counts the records and bytes it receives and discards them, for benchmarks and tests of error handling.",
            config_def: CountingSinkConnector::config_def,
            factory: PluginFactory::Sink {
                connector: || Box::new(CountingSinkConnector::default()),
                task: || Box::new(CountingSinkTask::default()),
            },
        },
        Plugin {
            class_name: JSON_CONVERTER,
            version: VERSION,
            summary: "Converts Connect data to and from JSON, with or without a schema envelope (Kafka's JsonConverter).",
            config_def: JsonConverter::config_def,
            factory: PluginFactory::Converter(|props, kind| {
                Ok(Arc::new(JsonConverter::new(props, kind)?))
            }),
        },
        Plugin {
            class_name: AVRO_CONVERTER,
            version: VERSION,
            summary: "Converts Connect data to and from Avro with a Confluent Schema Registry, byte-compatible with Confluent's AvroConverter.",
            config_def: AvroConverter::config_def,
            factory: PluginFactory::Converter(|props, kind| {
                Ok(Arc::new(AvroConverter::new(props, kind)?))
            }),
        },
        Plugin {
            class_name: BYTE_ARRAY_CONVERTER,
            version: VERSION,
            summary: "Passes byte arrays through unchanged (Kafka's ByteArrayConverter).",
            config_def: ByteArrayConverter::config_def,
            factory: PluginFactory::Converter(|props, _kind| {
                Ok(Arc::new(ByteArrayConverter::new(props)?))
            }),
        },
        Plugin {
            class_name: STRING_CONVERTER,
            version: VERSION,
            summary: "Converts values to and from text in a configurable character set (Kafka's StringConverter).",
            config_def: StringConverter::config_def,
            factory: PluginFactory::Converter(|props, _kind| {
                Ok(Arc::new(StringConverter::new(props)?))
            }),
        },
        Plugin {
            class_name: SIMPLE_HEADER_CONVERTER,
            version: VERSION,
            summary: "Writes header values as text and infers their types when reading (Kafka's default header converter).",
            config_def: SimpleHeaderConverter::config_def,
            factory: PluginFactory::HeaderConverter(|props| {
                Ok(Arc::new(SimpleHeaderConverter::new(props)?))
            }),
        },
        Plugin {
            class_name: JSON_CONVERTER,
            version: VERSION,
            summary: "Converts header values to and from JSON (Kafka's JsonConverter as a header converter).",
            config_def: JsonConverter::config_def,
            factory: PluginFactory::HeaderConverter(|props| {
                Ok(Arc::new(JsonConverter::new(props, ConverterType::Header)?))
            }),
        },
        Plugin {
            class_name: BYTE_ARRAY_CONVERTER,
            version: VERSION,
            summary: "Passes header byte arrays through unchanged (Kafka's ByteArrayConverter as a header converter).",
            config_def: ByteArrayConverter::config_def,
            factory: PluginFactory::HeaderConverter(|props| {
                Ok(Arc::new(ByteArrayConverter::new(props)?))
            }),
        },
        Plugin {
            class_name: STRING_CONVERTER,
            version: VERSION,
            summary: "Converts header values to and from text (Kafka's StringConverter as a header converter).",
            config_def: StringConverter::config_def,
            factory: PluginFactory::HeaderConverter(|props| {
                Ok(Arc::new(StringConverter::new(props)?))
            }),
        },
    ];
    plugins.extend(connect_transforms::plugins());
    PluginRegistry::new(plugins)
}

#[cfg(test)]
mod tests {
    use connect_core::Properties;
    use connect_core::plugin::PluginKind;

    use super::*;

    #[test]
    fn every_class_name_and_alias_resolves_to_its_kind() {
        let registry = registry();
        let cases: &[(PluginKind, &str, &[&str])] = &[
            (
                PluginKind::Source,
                "org.apache.kafka.connect.file.FileStreamSourceConnector",
                &["FileStreamSourceConnector", "FileStreamSource"],
            ),
            (
                PluginKind::Sink,
                "org.apache.kafka.connect.file.FileStreamSinkConnector",
                &["FileStreamSinkConnector", "FileStreamSink"],
            ),
            (
                PluginKind::Source,
                "io.connectrs.connect.datagen.DatagenConnector",
                &["DatagenConnector", "Datagen"],
            ),
            (
                PluginKind::Sink,
                "io.connectrs.connect.counting.CountingSinkConnector",
                &["CountingSinkConnector", "CountingSink"],
            ),
            (
                PluginKind::Converter,
                JSON_CONVERTER,
                &["JsonConverter", "Json"],
            ),
            (
                PluginKind::Converter,
                AVRO_CONVERTER,
                &["AvroConverter", "Avro"],
            ),
            (
                PluginKind::Converter,
                BYTE_ARRAY_CONVERTER,
                &["ByteArrayConverter", "ByteArray"],
            ),
            (
                PluginKind::Converter,
                STRING_CONVERTER,
                &["StringConverter", "String"],
            ),
            (
                PluginKind::HeaderConverter,
                SIMPLE_HEADER_CONVERTER,
                &["SimpleHeaderConverter", "Simple"],
            ),
            (
                PluginKind::HeaderConverter,
                JSON_CONVERTER,
                &["JsonConverter"],
            ),
            (
                PluginKind::HeaderConverter,
                BYTE_ARRAY_CONVERTER,
                &["ByteArrayConverter"],
            ),
            (
                PluginKind::HeaderConverter,
                STRING_CONVERTER,
                &["StringConverter"],
            ),
        ];
        for (kind, class, aliases) in cases {
            for name in std::iter::once(class).chain(aliases.iter()) {
                let plugin = registry
                    .find(name, &[*kind])
                    .unwrap_or_else(|| panic!("{name} as {kind}"));
                assert_eq!(plugin.class_name, *class, "{name}");
                assert_eq!(plugin.kind(), *kind, "{name}");
            }
        }
        assert_eq!(
            registry.connector("FileStreamSource").map(Plugin::kind),
            Some(PluginKind::Source)
        );
        assert!(registry.connector("JsonConverter").is_none());
        assert!(registry.find("Simple", &[PluginKind::Converter]).is_none());
    }

    #[test]
    fn class_names_are_unique_per_kind_and_versions_set() {
        let registry = registry();
        let mut seen = std::collections::HashSet::new();
        for plugin in registry.plugins() {
            assert!(
                seen.insert((plugin.class_name, plugin.kind())),
                "{} listed twice as {}",
                plugin.class_name,
                plugin.kind()
            );
            assert_eq!(plugin.version, env!("CARGO_PKG_VERSION"));
            assert!(!plugin.summary.is_empty());
        }
    }

    #[tokio::test]
    async fn every_plugin_can_be_created_with_default_settings() {
        let empty = Properties::new();
        for plugin in registry().plugins() {
            match plugin.factory {
                PluginFactory::Source { connector, task } => {
                    drop((connector(), task()));
                }
                PluginFactory::Sink { connector, task } => {
                    drop((connector(), task()));
                }
                PluginFactory::Converter(create) => {
                    // The Avro converter cannot start without a registry URL.
                    let props = if plugin.class_name == AVRO_CONVERTER {
                        connect_core::config::properties(&[(
                            "schema.registry.url",
                            "mock://every-plugin",
                        )])
                    } else {
                        empty.clone()
                    };
                    let converter = create(&props, ConverterType::Value)
                        .unwrap_or_else(|e| panic!("{}: {e}", plugin.class_name));
                    let mut headers = connect_core::Headers::new();
                    converter
                        .from_connect_data("t", &mut headers, None, &connect_core::Value::Null)
                        .await
                        .unwrap();
                }
                PluginFactory::HeaderConverter(create) => {
                    let converter =
                        create(&empty).unwrap_or_else(|e| panic!("{}: {e}", plugin.class_name));
                    converter
                        .to_connect_header("t", "h", None)
                        .unwrap_or_else(|e| panic!("{}: {e}", plugin.class_name));
                }
                // Most transforms and predicates need settings; their own tests cover them.
                PluginFactory::Transformation(_) | PluginFactory::Predicate(_) => {}
            }
            // Every config definition builds and documents its settings.
            for key in (plugin.config_def)().keys() {
                assert!(!key.documentation.is_empty(), "{}", key.name);
            }
        }
    }
}
