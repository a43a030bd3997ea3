//! Typed configuration definitions, Kafka `ConfigDef` style.
//!
//! Every plugin declares its settings once (type, default, validator, importance,
//! documentation). The same declaration parses a user's string map, reports every problem of
//! a config at once for `ValidateConnectorConfig`, and documents the plugin in `ListPlugins`.
//! Messages use Kafka's wording (`Invalid value X for configuration Y: reason`,
//! `Missing required configuration "Y" which has no default value.`) because users migrating
//! from Kafka Connect search for them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::error::{ConnectError, Result};
use crate::java_format;

/// A plugin's raw configuration: string keys and values, as written in Kafka Connect
/// `.properties` or JSON connector configs.
pub type Properties = BTreeMap<String, String>;

/// The type a setting is parsed into.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ConfigType {
    /// `true` or `false`, case-insensitive.
    Boolean,
    /// Free text (trimmed).
    String,
    /// 32-bit integer.
    Int,
    /// 16-bit integer.
    Short,
    /// 64-bit integer.
    Long,
    /// Double-precision number.
    Double,
    /// Comma-separated list (spaces around commas ignored).
    List,
    /// A plugin class name or alias.
    Class,
    /// A secret: parsed like a string, never shown back.
    Password,
}

impl ConfigType {
    /// Kafka's upper-case name for the type.
    pub fn name(self) -> &'static str {
        match self {
            ConfigType::Boolean => "BOOLEAN",
            ConfigType::String => "STRING",
            ConfigType::Int => "INT",
            ConfigType::Short => "SHORT",
            ConfigType::Long => "LONG",
            ConfigType::Double => "DOUBLE",
            ConfigType::List => "LIST",
            ConfigType::Class => "CLASS",
            ConfigType::Password => "PASSWORD",
        }
    }
}

/// How much a setting matters, for documentation and UIs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Importance {
    /// Most users need to look at it.
    High,
    /// Worth knowing about.
    Medium,
    /// Rarely changed.
    Low,
}

impl Importance {
    /// Kafka's upper-case name.
    pub fn name(self) -> &'static str {
        match self {
            Importance::High => "HIGH",
            Importance::Medium => "MEDIUM",
            Importance::Low => "LOW",
        }
    }
}

/// A secret setting. Its `Display` and `Debug` print `[hidden]` (as Kafka's `Password`) so
/// it cannot leak into logs or API responses by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a secret.
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// The secret itself, for the code that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[hidden]")
    }
}

/// A parsed setting.
#[derive(Clone, Debug, PartialEq)]
pub enum ConfigValue {
    /// A BOOLEAN setting.
    Boolean(bool),
    /// A STRING setting.
    String(String),
    /// An INT setting.
    Int(i32),
    /// A SHORT setting.
    Short(i16),
    /// A LONG setting.
    Long(i64),
    /// A DOUBLE setting.
    Double(f64),
    /// A LIST setting.
    List(Vec<String>),
    /// A CLASS setting.
    Class(String),
    /// A PASSWORD setting.
    Password(Password),
}

impl fmt::Display for ConfigValue {
    /// The Java `toString()` of the parsed value, as Kafka prints it in messages.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigValue::Boolean(b) => write!(f, "{b}"),
            ConfigValue::String(s) | ConfigValue::Class(s) => f.write_str(s),
            ConfigValue::Int(v) => write!(f, "{v}"),
            ConfigValue::Short(v) => write!(f, "{v}"),
            ConfigValue::Long(v) => write!(f, "{v}"),
            ConfigValue::Double(v) => f.write_str(&java_format::f64_to_string(*v)),
            ConfigValue::List(items) => write!(f, "[{}]", items.join(", ")),
            ConfigValue::Password(p) => write!(f, "{p}"),
        }
    }
}

/// The default of a setting.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// The setting is required.
    Required,
    /// Optional; absent means null.
    Null,
    /// Optional with this value.
    Value(ConfigValue),
}

/// A custom check: receives the setting name and parsed value.
pub type ValidatorFn = Arc<dyn Fn(&str, &ConfigValue) -> Result<()> + Send + Sync>;

/// A check on a parsed, non-null setting.
#[derive(Clone)]
pub enum Validator {
    /// One of these exact strings (Kafka's `ValidString.in`).
    OneOf(Vec<String>),
    /// One of these strings, ignoring case (Kafka's `CaseInsensitiveValidString.in`).
    OneOfIgnoreCase(Vec<String>),
    /// A string that is not empty.
    NonEmptyString,
    /// A list with at least one element.
    NonEmptyList,
    /// A number within bounds (inclusive).
    Range {
        /// Smallest allowed value.
        min: Option<i64>,
        /// Largest allowed value.
        max: Option<i64>,
    },
    /// Any other rule, with a description for documentation.
    Custom {
        /// What the rule accepts, shown in `ListPlugins`.
        description: String,
        /// The check.
        check: ValidatorFn,
    },
}

impl fmt::Debug for Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

impl Validator {
    /// A human description of what the validator accepts (Kafka's `toString()`).
    pub fn describe(&self) -> String {
        match self {
            Validator::OneOf(items) => format!("[{}]", items.join(", ")),
            Validator::OneOfIgnoreCase(items) => {
                format!("(case insensitive) [{}]", items.join(", "))
            }
            Validator::NonEmptyString => "non-empty string".to_string(),
            Validator::NonEmptyList => "non-empty list".to_string(),
            Validator::Range { min, max } => match (min, max) {
                (Some(a), Some(b)) => format!("[{a},...,{b}]"),
                (Some(a), None) => format!("[{a},...]"),
                (None, Some(b)) => format!("[...,{b}]"),
                (None, None) => "[...]".to_string(),
            },
            Validator::Custom { description, .. } => description.clone(),
        }
    }

    fn check(&self, name: &str, value: &ConfigValue) -> Result<()> {
        let invalid = |reason: String| {
            Err(ConnectError::invalid_config_value(
                name,
                &value.to_string(),
                reason,
            ))
        };
        match self {
            Validator::OneOf(items) => match value {
                ConfigValue::String(s) if items.iter().any(|i| i == s) => Ok(()),
                _ => invalid(format!("String must be one of: {}", items.join(", "))),
            },
            Validator::OneOfIgnoreCase(items) => match value {
                ConfigValue::String(s) if items.iter().any(|i| i.eq_ignore_ascii_case(s)) => Ok(()),
                _ => invalid(format!(
                    "String must be one of (case insensitive): {}",
                    items.join(", ")
                )),
            },
            Validator::NonEmptyString => match value {
                ConfigValue::String(s) | ConfigValue::Class(s) if s.is_empty() => {
                    invalid("String must be non-empty".to_string())
                }
                _ => Ok(()),
            },
            Validator::NonEmptyList => match value {
                ConfigValue::List(items) if items.is_empty() => Err(ConnectError::config(format!(
                    "Configuration '{name}' must not be empty. Valid values include: any non-empty value"
                ))),
                _ => Ok(()),
            },
            Validator::Range { min, max } => {
                let (below, above) = match value {
                    ConfigValue::Int(v) => bounds_check(*v as i64, *min, *max),
                    ConfigValue::Short(v) => bounds_check(*v as i64, *min, *max),
                    ConfigValue::Long(v) => bounds_check(*v, *min, *max),
                    ConfigValue::Double(v) => (
                        min.is_some_and(|m| *v < m as f64),
                        max.is_some_and(|m| *v > m as f64),
                    ),
                    _ => (false, false),
                };
                match (below, above, min, max) {
                    (true, _, Some(min), _) => invalid(format!("Value must be at least {min}")),
                    (_, true, _, Some(max)) => invalid(format!("Value must be no more than {max}")),
                    _ => Ok(()),
                }
            }
            Validator::Custom { check, .. } => check(name, value),
        }
    }
}

/// Whether `n` is below `min` and whether it is above `max`.
fn bounds_check(n: i64, min: Option<i64>, max: Option<i64>) -> (bool, bool) {
    (min.is_some_and(|m| n < m), max.is_some_and(|m| n > m))
}

/// The declaration of one setting.
#[derive(Clone, Debug)]
pub struct ConfigKey {
    /// The setting's key, e.g. `schemas.enable`.
    pub name: String,
    /// How the value is parsed.
    pub kind: ConfigType,
    /// What applies when the key is absent.
    pub default: DefaultValue,
    /// Extra rule on the parsed value.
    pub validator: Option<Validator>,
    /// How much it matters.
    pub importance: Importance,
    /// What it does, for users.
    pub documentation: String,
    /// A heading to group related settings under.
    pub group: Option<String>,
    /// Position within its group.
    pub order_in_group: Option<i32>,
    /// Human-friendly name.
    pub display_name: Option<String>,
    /// Settings whose meaning depends on this one.
    pub dependents: Vec<String>,
}

impl ConfigKey {
    /// A required setting (no default).
    pub fn new(
        name: impl Into<String>,
        kind: ConfigType,
        importance: Importance,
        documentation: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            kind,
            default: DefaultValue::Required,
            validator: None,
            importance,
            documentation: documentation.into(),
            group: None,
            order_in_group: None,
            display_name: None,
            dependents: Vec::new(),
        }
    }

    /// Makes the setting optional with a default value.
    pub fn with_default(mut self, value: ConfigValue) -> Self {
        self.default = DefaultValue::Value(value);
        self
    }

    /// Makes the setting optional with a null default.
    pub fn with_null_default(mut self) -> Self {
        self.default = DefaultValue::Null;
        self
    }

    /// Adds a validator.
    pub fn with_validator(mut self, validator: Validator) -> Self {
        self.validator = Some(validator);
        self
    }

    /// Places the setting in a documentation group.
    pub fn in_group(mut self, group: impl Into<String>, order: i32) -> Self {
        self.group = Some(group.into());
        self.order_in_group = Some(order);
        self
    }

    /// Sets the display name.
    pub fn with_display_name(mut self, name: impl Into<String>) -> Self {
        self.display_name = Some(name.into());
        self
    }

    /// Parses a raw string as Kafka's `ConfigDef.parseType` does (values are trimmed first).
    pub fn parse(&self, raw: &str) -> Result<ConfigValue> {
        let trimmed = raw.trim();
        let invalid = |reason: &str| ConnectError::invalid_config_value(&self.name, raw, reason);
        Ok(match self.kind {
            ConfigType::Boolean => {
                if trimmed.eq_ignore_ascii_case("true") {
                    ConfigValue::Boolean(true)
                } else if trimmed.eq_ignore_ascii_case("false") {
                    ConfigValue::Boolean(false)
                } else {
                    return Err(invalid("Expected value to be either true or false"));
                }
            }
            ConfigType::String => ConfigValue::String(trimmed.to_string()),
            ConfigType::Password => ConfigValue::Password(Password::new(trimmed)),
            ConfigType::Class => ConfigValue::Class(trimmed.to_string()),
            ConfigType::Int => ConfigValue::Int(
                trimmed
                    .parse()
                    .map_err(|_| invalid("Not a number of type INT"))?,
            ),
            ConfigType::Short => ConfigValue::Short(
                trimmed
                    .parse()
                    .map_err(|_| invalid("Not a number of type SHORT"))?,
            ),
            ConfigType::Long => ConfigValue::Long(
                trimmed
                    .parse()
                    .map_err(|_| invalid("Not a number of type LONG"))?,
            ),
            ConfigType::Double => ConfigValue::Double(
                trimmed
                    .parse()
                    .map_err(|_| invalid("Not a number of type DOUBLE"))?,
            ),
            ConfigType::List => ConfigValue::List(if trimmed.is_empty() {
                Vec::new()
            } else {
                trimmed.split(',').map(|s| s.trim().to_string()).collect()
            }),
        })
    }

    fn missing_error(&self) -> ConnectError {
        ConnectError::config(format!(
            "Missing required configuration \"{}\" which has no default value.",
            self.name
        ))
    }

    /// Parses and validates this setting from a raw config; `Ok(None)` means null.
    pub fn resolve(&self, props: &Properties) -> Result<Option<ConfigValue>> {
        let value = match props.get(&self.name) {
            Some(raw) => Some(self.parse(raw)?),
            None => match &self.default {
                DefaultValue::Required => return Err(self.missing_error()),
                DefaultValue::Null => None,
                DefaultValue::Value(v) => Some(v.clone()),
            },
        };
        if let (Some(validator), Some(v)) = (&self.validator, &value) {
            validator.check(&self.name, v)?;
        }
        Ok(value)
    }
}

/// The declared settings of one plugin, in declaration order.
#[derive(Clone, Debug, Default)]
pub struct ConfigDef {
    keys: Vec<ConfigKey>,
}

/// The outcome of validating one setting, for `ValidateConnectorConfig`.
#[derive(Clone, Debug, PartialEq)]
pub struct ConfigValidation {
    /// The setting.
    pub name: String,
    /// The value as given (passwords masked), or the default.
    pub value: Option<String>,
    /// Everything wrong with it; empty when valid.
    pub errors: Vec<String>,
}

impl ConfigDef {
    /// No settings.
    pub fn new() -> Self {
        Self::default()
    }

    /// Declares one more setting.
    pub fn define(mut self, key: ConfigKey) -> Self {
        self.keys.push(key);
        self
    }

    /// Declares every setting of another definition (e.g. shared `errors.*` keys).
    pub fn extend(mut self, other: &ConfigDef) -> Self {
        self.keys.extend(other.keys.iter().cloned());
        self
    }

    /// The declared settings.
    pub fn keys(&self) -> &[ConfigKey] {
        &self.keys
    }

    /// One declared setting.
    pub fn key(&self, name: &str) -> Option<&ConfigKey> {
        self.keys.iter().find(|k| k.name == name)
    }

    /// Parses a raw config, stopping at the first problem (in declaration order). Keys that
    /// are not declared are kept in [`ParsedConfig::originals`] for prefixed sub-configs.
    pub fn parse(&self, props: &Properties) -> Result<ParsedConfig> {
        let mut values = BTreeMap::new();
        for key in &self.keys {
            values.insert(key.name.clone(), key.resolve(props)?);
        }
        Ok(ParsedConfig {
            values,
            originals: props.clone(),
        })
    }

    /// Checks every setting and reports all problems at once, one entry per declared key.
    pub fn validate(&self, props: &Properties) -> Vec<ConfigValidation> {
        self.keys
            .iter()
            .map(|key| {
                let shown = match (props.get(&key.name), &key.default) {
                    (Some(_), _) if key.kind == ConfigType::Password => {
                        Some("[hidden]".to_string())
                    }
                    (Some(raw), _) => Some(raw.clone()),
                    (None, DefaultValue::Value(v)) => Some(v.to_string()),
                    (None, _) => None,
                };
                let errors = match key.resolve(props) {
                    Ok(_) => Vec::new(),
                    Err(e) => vec![e.message().to_string()],
                };
                ConfigValidation {
                    name: key.name.clone(),
                    value: shown,
                    errors,
                }
            })
            .collect()
    }
}

/// A config that passed [`ConfigDef::parse`].
#[derive(Clone, Debug, Default)]
pub struct ParsedConfig {
    values: BTreeMap<String, Option<ConfigValue>>,
    originals: Properties,
}

impl ParsedConfig {
    /// The parsed value of a declared setting (`None` when null or undeclared).
    pub fn get(&self, name: &str) -> Option<&ConfigValue> {
        self.values.get(name).and_then(Option::as_ref)
    }

    /// A BOOLEAN setting.
    pub fn boolean(&self, name: &str) -> Option<bool> {
        match self.get(name) {
            Some(ConfigValue::Boolean(b)) => Some(*b),
            _ => None,
        }
    }

    /// A STRING or CLASS setting.
    pub fn string(&self, name: &str) -> Option<&str> {
        match self.get(name) {
            Some(ConfigValue::String(s) | ConfigValue::Class(s)) => Some(s),
            _ => None,
        }
    }

    /// An INT setting.
    pub fn int(&self, name: &str) -> Option<i32> {
        match self.get(name) {
            Some(ConfigValue::Int(v)) => Some(*v),
            _ => None,
        }
    }

    /// A LONG setting.
    pub fn long(&self, name: &str) -> Option<i64> {
        match self.get(name) {
            Some(ConfigValue::Long(v)) => Some(*v),
            _ => None,
        }
    }

    /// A DOUBLE setting.
    pub fn double(&self, name: &str) -> Option<f64> {
        match self.get(name) {
            Some(ConfigValue::Double(v)) => Some(*v),
            _ => None,
        }
    }

    /// A LIST setting.
    pub fn list(&self, name: &str) -> Option<&[String]> {
        match self.get(name) {
            Some(ConfigValue::List(v)) => Some(v),
            _ => None,
        }
    }

    /// A PASSWORD setting.
    pub fn password(&self, name: &str) -> Option<&Password> {
        match self.get(name) {
            Some(ConfigValue::Password(p)) => Some(p),
            _ => None,
        }
    }

    /// The raw config as given, including undeclared keys.
    pub fn originals(&self) -> &Properties {
        &self.originals
    }

    /// The raw settings under `prefix`, with the prefix removed (e.g. `producer.`).
    pub fn originals_with_prefix(&self, prefix: &str) -> Properties {
        originals_with_prefix(&self.originals, prefix)
    }
}

/// A config from literal key/value pairs, for code and tests that build configs inline.
pub fn properties(pairs: &[(&str, &str)]) -> Properties {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The entries of `props` whose key starts with `prefix`, with the prefix removed.
pub fn originals_with_prefix(props: &Properties, prefix: &str) -> Properties {
    props
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix(prefix)
                .map(|rest| (rest.to_string(), v.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new("fields", ConfigType::List, Importance::High, "Fields.")
                    .with_validator(Validator::NonEmptyList),
            )
            .define(
                ConfigKey::new(
                    "enabled",
                    ConfigType::Boolean,
                    Importance::Low,
                    "On or off.",
                )
                .with_default(ConfigValue::Boolean(true)),
            )
            .define(
                ConfigKey::new("format", ConfigType::String, Importance::Low, "The format.")
                    .with_default(ConfigValue::String("BASE64".into()))
                    .with_validator(Validator::OneOfIgnoreCase(vec![
                        "BASE64".into(),
                        "NUMERIC".into(),
                    ])),
            )
            .define(
                ConfigKey::new("version", ConfigType::Int, Importance::Low, "A version.")
                    .with_null_default()
                    .with_validator(Validator::Range {
                        min: Some(0),
                        max: None,
                    }),
            )
            .define(
                ConfigKey::new("secret", ConfigType::Password, Importance::Low, "Secret.")
                    .with_null_default(),
            )
    }

    use super::properties as props;

    #[test]
    fn parses_types_and_defaults() {
        let parsed = def()
            .parse(&props(&[("fields", " a , b,c "), ("enabled", "FALSE")]))
            .unwrap();
        assert_eq!(parsed.list("fields").unwrap(), ["a", "b", "c"]);
        assert_eq!(parsed.boolean("enabled"), Some(false));
        assert_eq!(parsed.string("format"), Some("BASE64"));
        assert_eq!(parsed.int("version"), None);
    }

    #[test]
    fn errors_use_kafka_wording() {
        let err = def().parse(&props(&[])).unwrap_err();
        assert_eq!(
            err.message(),
            "Missing required configuration \"fields\" which has no default value."
        );
        let err = def().parse(&props(&[("fields", "")])).unwrap_err();
        assert_eq!(
            err.message(),
            "Configuration 'fields' must not be empty. Valid values include: any non-empty value"
        );
        let err = def()
            .parse(&props(&[("fields", "a"), ("version", "abc")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value abc for configuration version: Not a number of type INT"
        );
        let err = def()
            .parse(&props(&[("fields", "a"), ("version", "-1")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value -1 for configuration version: Value must be at least 0"
        );
        let err = def()
            .parse(&props(&[("fields", "a"), ("format", "hex")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value hex for configuration format: String must be one of (case insensitive): BASE64, NUMERIC"
        );
        let err = def()
            .parse(&props(&[("fields", "a"), ("enabled", "yes")]))
            .unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value yes for configuration enabled: Expected value to be either true or false"
        );
    }

    #[test]
    fn validate_reports_every_problem_and_masks_passwords() {
        let report = def().validate(&props(&[("version", "x"), ("secret", "s3cr3t")]));
        let errors: Vec<_> = report
            .iter()
            .filter(|r| !r.errors.is_empty())
            .map(|r| r.name.as_str())
            .collect();
        assert_eq!(errors, ["fields", "version"]);
        let secret = report.iter().find(|r| r.name == "secret").unwrap();
        assert_eq!(secret.value.as_deref(), Some("[hidden]"));
        assert_eq!(format!("{:?}", Password::new("s3cr3t")), "[hidden]");
    }

    #[test]
    fn prefixed_originals_strip_the_prefix() {
        let p = props(&[("producer.acks", "all"), ("consumer.x", "1")]);
        assert_eq!(
            originals_with_prefix(&p, "producer."),
            props(&[("acks", "all")])
        );
    }
}
