//! Settings of the Avro converter, under Confluent's names and with Confluent's defaults.

use connect_core::config::{
    ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties, Validator,
};
use connect_core::{ConnectError, Result};

use super::data::AvroDataConfig;
use super::subject::SubjectNameStrategy;
use crate::schema_registry;

/// `auto.register.schemas`: register a new schema on first use (default true).
pub const AUTO_REGISTER_CONFIG: &str = "auto.register.schemas";
/// `use.latest.version`: write with, and read into, the subject's latest schema.
pub const USE_LATEST_VERSION_CONFIG: &str = "use.latest.version";
/// `latest.compatibility.strict`: with `use.latest.version`, require that the latest
/// schema can read data of the record's own schema.
pub const LATEST_COMPATIBILITY_STRICT_CONFIG: &str = "latest.compatibility.strict";
/// `key.subject.name.strategy`.
pub const KEY_SUBJECT_NAME_STRATEGY_CONFIG: &str = "key.subject.name.strategy";
/// `value.subject.name.strategy`.
pub const VALUE_SUBJECT_NAME_STRATEGY_CONFIG: &str = "value.subject.name.strategy";
/// `connect.meta.data`: keep Connect metadata in `connect.*` Avro properties.
pub const CONNECT_META_DATA_CONFIG: &str = "connect.meta.data";
/// `enhanced.avro.schema.support`: Avro enums and full-name union branches.
pub const ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG: &str = "enhanced.avro.schema.support";
/// `scrub.invalid.names`: rewrite names Avro rejects.
pub const SCRUB_INVALID_NAMES_CONFIG: &str = "scrub.invalid.names";
/// `schemas.cache.config`: how many schemas each cache keeps.
pub const SCHEMAS_CACHE_CONFIG: &str = "schemas.cache.config";

/// The parsed converter settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AvroConverterConfig {
    /// Registry connection.
    pub registry: schema_registry::config::RegistryClientConfig,
    /// `auto.register.schemas`.
    pub auto_register: bool,
    /// `use.latest.version`.
    pub use_latest_version: bool,
    /// `latest.compatibility.strict`.
    pub latest_compatibility_strict: bool,
    /// Strategy for keys.
    pub key_strategy: SubjectNameStrategy,
    /// Strategy for values.
    pub value_strategy: SubjectNameStrategy,
    /// Schema mapping options.
    pub data: AvroDataConfig,
    /// Capacity of each schema cache.
    pub cache_size: usize,
}

fn strategy_validator() -> Validator {
    Validator::Custom {
        description: "io.confluent.kafka.serializers.subject.TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy".to_string(),
        check: std::sync::Arc::new(|name, value| match value {
            ConfigValue::String(s) | ConfigValue::Class(s)
                if SubjectNameStrategy::from_class_name(s).is_none() =>
            {
                Err(ConnectError::invalid_config_value(
                    name,
                    s,
                    "Class not found: only TopicNameStrategy, RecordNameStrategy and TopicRecordNameStrategy are available",
                ))
            }
            _ => Ok(()),
        }),
    }
}

fn boolean(name: &str, default: bool, doc: &str) -> ConfigKey {
    ConfigKey::new(name, ConfigType::Boolean, Importance::Medium, doc)
        .with_default(ConfigValue::Boolean(default))
}

impl AvroConverterConfig {
    /// Every setting, registry client included.
    pub fn config_def() -> ConfigDef {
        let strategy = |name: &str| {
            ConfigKey::new(
                name,
                ConfigType::String,
                Importance::Medium,
                "How the registry subject is named: TopicNameStrategy (<topic>-key/-value), RecordNameStrategy (<record name>) or TopicRecordNameStrategy (<topic>-<record name>), by Confluent class name.",
            )
            .with_default(ConfigValue::String(
                SubjectNameStrategy::TopicName.class_name().to_string(),
            ))
            .with_validator(strategy_validator())
        };
        schema_registry::config::config_def()
            .define(boolean(AUTO_REGISTER_CONFIG, true, "Register the schema of a record when it is not registered yet; when false it must already be registered under the subject."))
            .define(boolean(USE_LATEST_VERSION_CONFIG, false, "Write records with the latest schema of the subject instead of their own (only with auto.register.schemas=false), and read records into the latest schema."))
            .define(boolean(LATEST_COMPATIBILITY_STRICT_CONFIG, true, "With use.latest.version, check that the latest schema can read data written with the record's own schema."))
            .define(strategy(KEY_SUBJECT_NAME_STRATEGY_CONFIG))
            .define(strategy(VALUE_SUBJECT_NAME_STRATEGY_CONFIG))
            .define(boolean(CONNECT_META_DATA_CONFIG, true, "Keep Connect names, versions, docs, parameters and defaults in connect.* Avro properties."))
            .define(boolean(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, false, "Write strings marked as Avro enums as enums, and name union branches by full name."))
            .define(boolean(SCRUB_INVALID_NAMES_CONFIG, false, "Replace characters Avro does not allow in names instead of failing."))
            .define(
                ConfigKey::new(SCHEMAS_CACHE_CONFIG, ConfigType::Int, Importance::Low, "How many schemas each direction keeps converted.")
                    .with_default(ConfigValue::Int(1000))
                    .with_validator(Validator::Range { min: Some(1), max: None }),
            )
    }

    /// Reads the settings (the converter's prefix already removed).
    pub fn from_props(props: &Properties) -> Result<Self> {
        let parsed = Self::config_def().parse(props)?;
        let registry = schema_registry::config::RegistryClientConfig::from_props(props)?;
        let flag = |name: &str, default: bool| parsed.boolean(name).unwrap_or(default);
        let strategy = |name: &str| {
            parsed
                .string(name)
                .and_then(SubjectNameStrategy::from_class_name)
                .unwrap_or(SubjectNameStrategy::TopicName)
        };
        Ok(Self {
            registry,
            auto_register: flag(AUTO_REGISTER_CONFIG, true),
            use_latest_version: flag(USE_LATEST_VERSION_CONFIG, false),
            latest_compatibility_strict: flag(LATEST_COMPATIBILITY_STRICT_CONFIG, true),
            key_strategy: strategy(KEY_SUBJECT_NAME_STRATEGY_CONFIG),
            value_strategy: strategy(VALUE_SUBJECT_NAME_STRATEGY_CONFIG),
            data: AvroDataConfig {
                connect_meta_data: flag(CONNECT_META_DATA_CONFIG, true),
                enhanced_schema_support: flag(ENHANCED_AVRO_SCHEMA_SUPPORT_CONFIG, false),
                scrub_invalid_names: flag(SCRUB_INVALID_NAMES_CONFIG, false),
            },
            cache_size: usize::try_from(parsed.int(SCHEMAS_CACHE_CONFIG).unwrap_or(1000))
                .unwrap_or(1000)
                .max(1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::config::properties;

    #[test]
    fn defaults_are_confluents() {
        let config =
            AvroConverterConfig::from_props(&properties(&[("schema.registry.url", "mock://t")]))
                .expect("valid");
        assert!(config.auto_register);
        assert!(!config.use_latest_version);
        assert!(config.latest_compatibility_strict);
        assert_eq!(config.value_strategy, SubjectNameStrategy::TopicName);
        assert_eq!(config.data, AvroDataConfig::default());
        assert_eq!(config.cache_size, 1000);
    }

    #[test]
    fn unknown_strategies_are_config_errors() {
        let err = AvroConverterConfig::from_props(&properties(&[
            ("schema.registry.url", "mock://t"),
            (VALUE_SUBJECT_NAME_STRATEGY_CONFIG, "com.acme.MyStrategy"),
        ]))
        .expect_err("unknown class");
        assert_eq!(err.simple_class(), "ConfigException");
        assert!(err.message().contains("com.acme.MyStrategy"), "{err}");
    }
}
