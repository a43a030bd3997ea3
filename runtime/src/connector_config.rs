//! The settings every connector has (Kafka Connect's `ConnectorConfig`), and validation of a
//! whole connector config with one result per key.
//!
//! Validation is what `ValidateConnectorConfig` returns and what `CreateConnector` checks
//! before storing anything: every problem of the config at once, each attached to the key
//! it concerns, so users fix a config in one round trip.

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValidation, ConfigValue, Importance, Properties,
    Validator, originals_with_prefix,
};
use connect_core::connector::ConnectorType;
use connect_core::plugin::{Plugin, PluginKind, PluginRegistry};

use crate::error::FieldViolation;

/// `name`.
pub const NAME: &str = "name";
/// `connector.class`.
pub const CONNECTOR_CLASS: &str = "connector.class";
/// `tasks.max`.
pub const TASKS_MAX: &str = "tasks.max";
/// `key.converter`.
pub const KEY_CONVERTER: &str = "key.converter";
/// `value.converter`.
pub const VALUE_CONVERTER: &str = "value.converter";
/// `header.converter`.
pub const HEADER_CONVERTER: &str = "header.converter";
/// `transforms`.
pub const TRANSFORMS: &str = "transforms";
/// `predicates`.
pub const PREDICATES: &str = "predicates";
/// `topics` (sink connectors).
pub const TOPICS: &str = "topics";
/// `topics.regex` (sink connectors).
pub const TOPICS_REGEX: &str = "topics.regex";
/// `errors.deadletterqueue.topic.name` (sink connectors).
pub const DLQ_TOPIC: &str = "errors.deadletterqueue.topic.name";

const COMMON_GROUP: &str = "Common";
const TRANSFORMS_GROUP: &str = "Transforms";
const PREDICATES_GROUP: &str = "Predicates";
const ERROR_GROUP: &str = "Error Handling";

fn name_validator() -> Validator {
    Validator::Custom {
        description: "non-empty string without ISO control characters".to_string(),
        check: std::sync::Arc::new(|name: &str, value: &ConfigValue| {
            let text = value.to_string();
            if text.is_empty() {
                return Err(connect_core::ConnectError::invalid_config_value(
                    name,
                    &text,
                    "String may not be empty",
                ));
            }
            let controls: Vec<String> = text
                .chars()
                .filter(|c| c.is_control())
                .map(|c| format!("\\u{:04x}", c as u32))
                .collect();
            if !controls.is_empty() {
                return Err(connect_core::ConnectError::invalid_config_value(
                    name,
                    &text,
                    format!(
                        "String may not contain control sequences but had the following ASCII control characters: {}",
                        controls.join(", ")
                    ),
                ));
            }
            Ok(())
        }),
    }
}

/// The settings shared by every connector, with Kafka Connect's names, defaults and docs.
pub fn common_config_def(connector_type: Option<ConnectorType>) -> ConfigDef {
    let mut def = ConfigDef::new()
        .define(
            ConfigKey::new(NAME, ConfigType::String, Importance::High, "Globally unique name of this connector.")
                .with_validator(name_validator())
                .in_group(COMMON_GROUP, 1)
                .with_display_name("Connector name"),
        )
        .define(
            ConfigKey::new(
                CONNECTOR_CLASS,
                ConfigType::String,
                Importance::High,
                "The connector plugin: its class name (Kafka's Java class names work) or an alias such as FileStreamSource.",
            )
            .in_group(COMMON_GROUP, 2)
            .with_display_name("Connector class"),
        )
        .define(
            ConfigKey::new(TASKS_MAX, ConfigType::Int, Importance::High, "Maximum number of tasks to run for this connector.")
                .with_default(ConfigValue::Int(1))
                .with_validator(Validator::Range { min: Some(1), max: None })
                .in_group(COMMON_GROUP, 3)
                .with_display_name("Tasks max"),
        )
        .define(
            ConfigKey::new(
                KEY_CONVERTER,
                ConfigType::Class,
                Importance::Low,
                "Converter for record keys; the worker's key.converter when unset.",
            )
            .with_null_default()
            .in_group(COMMON_GROUP, 4)
            .with_display_name("Key converter class"),
        )
        .define(
            ConfigKey::new(
                VALUE_CONVERTER,
                ConfigType::Class,
                Importance::Low,
                "Converter for record values; the worker's value.converter when unset.",
            )
            .with_null_default()
            .in_group(COMMON_GROUP, 5)
            .with_display_name("Value converter class"),
        )
        .define(
            ConfigKey::new(
                HEADER_CONVERTER,
                ConfigType::Class,
                Importance::Low,
                "Converter for header values; the worker's header.converter when unset.",
            )
            .with_null_default()
            .in_group(COMMON_GROUP, 6)
            .with_display_name("Header converter class"),
        )
        .define(
            ConfigKey::new(TRANSFORMS, ConfigType::List, Importance::Low, "Aliases of the transformations to apply to records, in order.")
                .with_default(ConfigValue::List(Vec::new()))
                .in_group(TRANSFORMS_GROUP, 0)
                .with_display_name("Transforms"),
        )
        .define(
            ConfigKey::new(PREDICATES, ConfigType::List, Importance::Low, "Aliases of the predicates used by transformations.")
                .with_default(ConfigValue::List(Vec::new()))
                .in_group(PREDICATES_GROUP, 0)
                .with_display_name("Predicates"),
        )
        .extend(&error_handling_config_def(connector_type));
    if connector_type == Some(ConnectorType::Sink) {
        def = def
            .define(
                ConfigKey::new(
                    TOPICS,
                    ConfigType::List,
                    Importance::High,
                    "Topics to consume (comma-separated).",
                )
                .with_default(ConfigValue::List(Vec::new()))
                .in_group(COMMON_GROUP, 4)
                .with_display_name("Topics"),
            )
            .define(
                ConfigKey::new(
                    TOPICS_REGEX,
                    ConfigType::String,
                    Importance::High,
                    "Regular expression of the topics to consume.",
                )
                .with_default(ConfigValue::String(String::new()))
                .in_group(COMMON_GROUP, 4)
                .with_display_name("Topics regex"),
            );
    }
    def
}

/// The `errors.*` settings (Kafka's error handling); the dead letter queue keys exist only
/// for sink connectors, as in Kafka Connect.
pub fn error_handling_config_def(connector_type: Option<ConnectorType>) -> ConfigDef {
    let def = ConfigDef::new()
        .define(
            ConfigKey::new(
                "errors.retry.timeout",
                ConfigType::Long,
                Importance::Medium,
                "How long (ms) a failed operation is retried; 0 disables retries, -1 retries forever.",
            )
            .with_default(ConfigValue::Long(0))
            .in_group(ERROR_GROUP, 1),
        )
        .define(
            ConfigKey::new(
                "errors.retry.delay.max.ms",
                ConfigType::Long,
                Importance::Medium,
                "Longest delay (ms) between retries of a failed operation.",
            )
            .with_default(ConfigValue::Long(60_000))
            .with_validator(Validator::Range { min: Some(1), max: None })
            .in_group(ERROR_GROUP, 2),
        )
        .define(
            ConfigKey::new(
                "errors.tolerance",
                ConfigType::String,
                Importance::Medium,
                "none: any error fails the task; all: skip records that fail.",
            )
            .with_default(ConfigValue::String("none".to_string()))
            .with_validator(Validator::OneOf(vec!["none".to_string(), "all".to_string()]))
            .in_group(ERROR_GROUP, 3),
        )
        .define(
            ConfigKey::new("errors.log.enable", ConfigType::Boolean, Importance::Medium, "Log every failed operation and problem record.")
                .with_default(ConfigValue::Boolean(false))
                .in_group(ERROR_GROUP, 4),
        )
        .define(
            ConfigKey::new(
                "errors.log.include.messages",
                ConfigType::Boolean,
                Importance::Medium,
                "Include the problem record in error logs.",
            )
            .with_default(ConfigValue::Boolean(false))
            .in_group(ERROR_GROUP, 5),
        );
    if connector_type != Some(ConnectorType::Sink) {
        return def;
    }
    def.define(
        ConfigKey::new(
            DLQ_TOPIC,
            ConfigType::String,
            Importance::Medium,
            "Topic receiving records that failed, when errors.tolerance=all.",
        )
        .with_default(ConfigValue::String(String::new()))
        .in_group(ERROR_GROUP, 6),
    )
    .define(
        ConfigKey::new(
            "errors.deadletterqueue.topic.replication.factor",
            ConfigType::Short,
            Importance::Medium,
            "Replication factor of the dead letter queue topic when it is created.",
        )
        .with_default(ConfigValue::Short(3))
        .in_group(ERROR_GROUP, 7),
    )
    .define(
        ConfigKey::new(
            "errors.deadletterqueue.context.headers.enable",
            ConfigType::Boolean,
            Importance::Medium,
            "Add __connect.errors.* headers describing the failure to dead letter queue records.",
        )
        .with_default(ConfigValue::Boolean(false))
        .in_group(ERROR_GROUP, 8),
    )
}

/// The result of validating one key.
#[derive(Clone, Debug)]
pub struct KeyReport {
    /// The key's declaration.
    pub definition: ConfigKey,
    /// What it resolved to (as given, or the default; secrets masked).
    pub value: Option<String>,
    /// Everything wrong with it.
    pub errors: Vec<String>,
}

/// The result of validating a whole connector config.
#[derive(Clone, Debug)]
pub struct ValidationReport {
    /// The connector plugin, if it could be resolved.
    pub plugin: Option<Plugin>,
    /// Documentation groups, in order of first appearance.
    pub groups: Vec<String>,
    /// One report per key (common keys first, then the plugin's own).
    pub keys: Vec<KeyReport>,
}

impl ValidationReport {
    /// Number of errors over all keys.
    pub fn error_count(&self) -> usize {
        self.keys.iter().map(|k| k.errors.len()).sum()
    }

    /// Every error as a (key, message) pair.
    pub fn violations(&self) -> Vec<FieldViolation> {
        self.keys
            .iter()
            .flat_map(|k| {
                k.errors.iter().map(|e| FieldViolation {
                    field: k.definition.name.clone(),
                    description: e.clone(),
                })
            })
            .collect()
    }

    fn add(&mut self, definition: ConfigKey, validation: ConfigValidation) {
        if let Some(existing) = self
            .keys
            .iter_mut()
            .find(|k| k.definition.name == definition.name)
        {
            existing.errors.extend(validation.errors);
            return;
        }
        if let Some(group) = &definition.group
            && !self.groups.contains(group)
        {
            self.groups.push(group.clone());
        }
        self.keys.push(KeyReport {
            definition,
            value: validation.value,
            errors: validation.errors,
        });
    }

    fn error(&mut self, key: &str, message: String) {
        match self.keys.iter_mut().find(|k| k.definition.name == key) {
            Some(existing) => existing.errors.push(message),
            None => self.keys.push(KeyReport {
                definition: ConfigKey::new(key, ConfigType::String, Importance::Low, ""),
                value: None,
                errors: vec![message],
            }),
        }
    }
}

fn add_def(report: &mut ValidationReport, def: &ConfigDef, props: &Properties) {
    for (key, validation) in def.keys().iter().zip(def.validate(props)) {
        report.add(key.clone(), validation);
    }
}

fn class_not_found(class: &str) -> String {
    format!("Class {class} could not be found.")
}

/// Validates a connector config: the common keys, the converters, the transforms, the
/// sink topic settings and the connector plugin's own keys. `plugin` (from the request)
/// wins over `connector.class` when given.
pub fn validate_connector_config(
    registry: &PluginRegistry,
    plugin: Option<&str>,
    props: &Properties,
) -> ValidationReport {
    let class = plugin
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .or_else(|| props.get(CONNECTOR_CLASS).cloned());
    let resolved = class
        .as_deref()
        .and_then(|c| registry.connector(c))
        .cloned();
    let connector_type = resolved.as_ref().and_then(Plugin::connector_type);
    let mut report = ValidationReport {
        plugin: resolved.clone(),
        groups: Vec::new(),
        keys: Vec::new(),
    };
    add_def(&mut report, &common_config_def(connector_type), props);
    match (&class, &resolved) {
        (Some(class), None) => report.error(CONNECTOR_CLASS, class_not_found(class)),
        (None, _) => {}
        (Some(_), Some(_)) => {}
    }

    for (key, kinds) in [
        (KEY_CONVERTER, &[PluginKind::Converter][..]),
        (VALUE_CONVERTER, &[PluginKind::Converter][..]),
        (HEADER_CONVERTER, &[PluginKind::HeaderConverter][..]),
    ] {
        let Some(class) = props.get(key).filter(|c| !c.trim().is_empty()) else {
            continue;
        };
        match registry.find(class, kinds) {
            None => report.error(key, class_not_found(class)),
            Some(converter) => {
                let prefix = format!("{key}.");
                let settings = originals_with_prefix(props, &prefix);
                for validation in (converter.config_def)().validate(&settings) {
                    for error in validation.errors {
                        report.error(&format!("{prefix}{}", validation.name), error);
                    }
                }
            }
        }
    }

    // The chain's own checks: aliases, classes, predicates and every plugin's settings,
    // reported under their full keys (`transforms.<alias>.<setting>`).
    for (key, message) in connect_transforms::chain::validate(props, registry) {
        report.error(&key, message);
    }

    if connector_type == Some(ConnectorType::Sink) {
        validate_sink_topics(&mut report, props);
    }

    if let Some(plugin) = &resolved {
        add_def(&mut report, &(plugin.config_def)(), props);
    }
    report
}

fn validate_sink_topics(report: &mut ValidationReport, props: &Properties) {
    let topics: Vec<String> = props
        .get(TOPICS)
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let regex = props
        .get(TOPICS_REGEX)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    match (topics.is_empty(), &regex) {
        (true, None) => {
            let message = "Must configure one of topics or topics.regex".to_string();
            report.error(TOPICS, message.clone());
            report.error(TOPICS_REGEX, message);
        }
        (false, Some(_)) => {
            let message =
                "topics and topics.regex are mutually exclusive options, but both are set."
                    .to_string();
            report.error(TOPICS, message.clone());
            report.error(TOPICS_REGEX, message);
        }
        _ => {}
    }
    if let Some(pattern) = &regex
        && let Err(e) = regex::Regex::new(pattern)
    {
        report.error(
            TOPICS_REGEX,
            format!("Invalid value {pattern} for configuration topics.regex: {e}"),
        );
    }
    if let Some(dlq) = props
        .get(DLQ_TOPIC)
        .map(|d| d.trim())
        .filter(|d| !d.is_empty())
        && topics.iter().any(|t| t == dlq)
    {
        report.error(
            DLQ_TOPIC,
            format!(
                "The DLQ topic '{dlq}' may not be included in the list of topics ('topics={}') to be consumed.",
                topics.join(",")
            ),
        );
    }
}

/// The `topics` of a sink config, trimmed, empties removed.
pub fn sink_topics(props: &Properties) -> Vec<String> {
    props
        .get(TOPICS)
        .map(|t| {
            t.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The `topics.regex` of a sink config, if set.
pub fn sink_topics_regex(props: &Properties) -> Option<String> {
    props
        .get(TOPICS_REGEX)
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty())
}

/// The `tasks.max` of a (validated) config.
pub fn tasks_max(props: &Properties) -> usize {
    props
        .get(TASKS_MAX)
        .and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}
