//! The transformation chain of a connector: its `transforms` and `predicates` settings turned
//! into stages that run in order on every record.
//!
//! Kafka Connect users configure chains as
//! `transforms=a,b`, `transforms.a.type=<class>`, `transforms.a.<setting>=...`, optionally
//! `transforms.a.predicate=p` and `transforms.a.negate=true` with `predicates=p`,
//! `predicates.p.type=<class>`. The same parsing serves two callers: task start-up
//! ([`TransformChain::from_config`]) and `ValidateConnectorConfig` ([`validate`]), which
//! reports every problem at once under the full key it concerns, so both agree on what a
//! valid chain is.

use std::fmt;

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, Properties, originals_with_prefix};
use connect_core::plugin::{Plugin, PluginFactory, PluginKind, PluginRegistry};
use connect_core::{ConnectError, ConnectRecord, Predicate, Result, Transformation};

/// The connector setting listing the transformation aliases, in order.
pub const TRANSFORMS_CONFIG: &str = "transforms";
/// The connector setting listing the predicate aliases.
pub const PREDICATES_CONFIG: &str = "predicates";
/// The per-transformation setting naming its predicate's alias.
pub const PREDICATE_CONFIG: &str = "predicate";
/// The per-transformation setting that inverts its predicate.
pub const NEGATE_CONFIG: &str = "negate";
/// The per-alias setting naming the plugin class.
pub const TYPE_CONFIG: &str = "type";

/// One configured transformation, with the predicate that decides whether it applies.
///
/// This is the unit of error handling: when a stage fails, the runtime reports its
/// [`class_name`](Self::class_name) in dead letter queue headers, as Kafka Connect's
/// `TransformationStage` does.
pub struct TransformStage {
    alias: String,
    class_name: &'static str,
    transformation: Box<dyn Transformation>,
    predicate: Option<StagePredicate>,
}

/// A stage's condition: the predicate, its alias (for diagnostics) and whether it is negated.
struct StagePredicate {
    alias: String,
    predicate: Box<dyn Predicate>,
    negate: bool,
}

impl TransformStage {
    /// An unconditional stage: `class_name` is the plugin's canonical class name.
    pub fn new(
        alias: impl Into<String>,
        class_name: &'static str,
        transformation: Box<dyn Transformation>,
    ) -> Self {
        Self {
            alias: alias.into(),
            class_name,
            transformation,
            predicate: None,
        }
    }

    /// Makes the stage conditional: it transforms a record only when `predicate` matches it
    /// (or, with `negate`, when it does not) and passes other records through unchanged.
    pub fn with_predicate(
        mut self,
        alias: impl Into<String>,
        predicate: Box<dyn Predicate>,
        negate: bool,
    ) -> Self {
        self.predicate = Some(StagePredicate {
            alias: alias.into(),
            predicate,
            negate,
        });
        self
    }

    /// The alias the connector config gave this stage.
    pub fn alias(&self) -> &str {
        &self.alias
    }

    /// The transformation's canonical class name, as written into
    /// `__connect.errors.class.name`.
    pub fn class_name(&self) -> &'static str {
        self.class_name
    }

    /// Applies the transformation when the predicate (if any) says so, exactly Kafka's
    /// `predicate.test(record) XOR negate`; otherwise returns the record unchanged.
    /// `Ok(None)` means the record was dropped.
    pub fn apply(&mut self, record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        if let Some(condition) = &self.predicate
            && condition.predicate.test(&record)? == condition.negate
        {
            return Ok(Some(record));
        }
        self.transformation.apply(record)
    }

    /// Applies the transformation to the record where it lies if the predicate (XOR
    /// `negate`) says so: `Ok(false)` means the record was dropped. The form the chain
    /// uses, see [`Transformation::apply_in_place`].
    pub fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        if let Some(condition) = &self.predicate
            && condition.predicate.test(record)? == condition.negate
        {
            return Ok(true);
        }
        self.transformation.apply_in_place(record)
    }
}

impl fmt::Debug for TransformStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("TransformStage");
        s.field("alias", &self.alias)
            .field("class_name", &self.class_name);
        if let Some(condition) = &self.predicate {
            s.field("predicate", &condition.alias)
                .field("negate", &condition.negate);
        }
        s.finish_non_exhaustive()
    }
}

/// The ordered stages of a connector's `transforms` setting.
#[derive(Debug, Default)]
pub struct TransformChain {
    stages: Vec<TransformStage>,
}

impl TransformChain {
    /// A chain of already-built stages.
    pub fn new(stages: Vec<TransformStage>) -> Self {
        Self { stages }
    }

    /// Builds the chain a connector config describes. Fails with a
    /// [`ConnectError::Config`] listing every problem [`validate`] would report, so a task
    /// never starts with a half-configured chain.
    pub fn from_config(props: &Properties, registry: &PluginRegistry) -> Result<Self> {
        let Built { stages, problems } = build(props, registry);
        if problems.is_empty() {
            return Ok(Self { stages });
        }
        let described: Vec<String> = problems
            .iter()
            .map(|(key, message)| {
                if message.contains(key.as_str()) {
                    message.clone()
                } else {
                    format!("{key}: {message}")
                }
            })
            .collect();
        Err(ConnectError::config(described.join("; ")))
    }

    /// Whether there are no stages, letting the runtime skip the chain entirely.
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }

    /// The number of stages.
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// The stages in order, for a runtime that applies them one by one under its error
    /// handling (retries, tolerance, dead letter queue).
    pub fn stages_mut(&mut self) -> &mut [TransformStage] {
        &mut self.stages
    }

    /// Applies every stage in order, stopping as soon as one drops the record.
    pub fn apply(&mut self, mut record: ConnectRecord) -> Result<Option<ConnectRecord>> {
        for stage in &mut self.stages {
            if !stage.apply_in_place(&mut record)? {
                return Ok(None);
            }
        }
        Ok(Some(record))
    }
}

/// Per-key problems of the `transforms`/`predicates` part of a connector config, for
/// `ValidateConnectorConfig`: `(full key, message)` pairs, e.g.
/// `("transforms.mask.fields", "Missing required configuration \"transforms.mask.fields\" which has no default value.")`.
///
/// Covers duplicate aliases, missing or unknown `.type` classes, a class of the wrong kind,
/// every plugin's own settings (validated under their prefixed names, so messages name the
/// full key as Kafka Connect's do), a `.predicate` naming an alias missing from
/// `predicates`, `.negate` without `.predicate`, and the checks plugins make when they are
/// created. Settings the chain does not own are ignored.
pub fn validate(props: &Properties, registry: &PluginRegistry) -> Vec<(String, String)> {
    build(props, registry).problems
}

/// The outcome of reading a chain config: the stages that could be built and every problem.
struct Built {
    stages: Vec<TransformStage>,
    problems: Vec<(String, String)>,
}

/// The two kinds of alias list a connector config holds.
#[derive(Clone, Copy)]
enum AliasKind {
    Transformation,
    Predicate,
}

impl AliasKind {
    fn plugin_kind(self) -> PluginKind {
        match self {
            AliasKind::Transformation => PluginKind::Transformation,
            AliasKind::Predicate => PluginKind::Predicate,
        }
    }

    /// Kafka's name for the kind in messages (`Not a Transformation`).
    fn name(self) -> &'static str {
        match self {
            AliasKind::Transformation => "Transformation",
            AliasKind::Predicate => "Predicate",
        }
    }
}

fn build(props: &Properties, registry: &PluginRegistry) -> Built {
    let mut problems = Vec::new();
    let transforms = aliases(props, TRANSFORMS_CONFIG, &mut problems);
    let predicates = aliases(props, PREDICATES_CONFIG, &mut problems);

    // Predicates first: a transformation's stage needs its predicate's plugin and settings.
    let mut predicate_plugins: Vec<(&str, Option<&Plugin>)> = Vec::new();
    for alias in &predicates {
        let prefix = format!("{PREDICATES_CONFIG}.{alias}.");
        let problems_before = problems.len();
        let plugin = resolve_plugin(
            props,
            registry,
            &prefix,
            AliasKind::Predicate,
            &[],
            &mut problems,
        );
        // Creating the plugin checks what its declared settings cannot express; only worth
        // doing (and only non-redundant) once those settings are valid.
        if let Some(plugin) = plugin
            && problems.len() == problems_before
            && let PluginFactory::Predicate(create) = plugin.factory
            && let Err(e) = create(&originals_with_prefix(props, &prefix))
        {
            problems.push(locate_creation_error(&prefix, e));
        }
        predicate_plugins.push((alias.as_str(), plugin));
    }

    let mut stages = Vec::new();
    for alias in &transforms {
        let prefix = format!("{TRANSFORMS_CONFIG}.{alias}.");
        let problems_before = problems.len();
        let condition = stage_condition(props, &prefix, &predicate_plugins, &mut problems);
        let plugin = resolve_plugin(
            props,
            registry,
            &prefix,
            AliasKind::Transformation,
            &[PREDICATE_CONFIG, NEGATE_CONFIG],
            &mut problems,
        );
        let Some(plugin) = plugin else { continue };
        let PluginFactory::Transformation(create) = plugin.factory else {
            continue;
        };
        if problems.len() != problems_before {
            continue;
        }
        let mut own = originals_with_prefix(props, &prefix);
        own.remove(PREDICATE_CONFIG);
        own.remove(NEGATE_CONFIG);
        let transformation = match create(&own) {
            Ok(t) => t,
            Err(e) => {
                problems.push(locate_creation_error(&prefix, e));
                continue;
            }
        };
        let mut stage = TransformStage::new(alias.as_str(), plugin.class_name, transformation);
        if let Some((predicate_alias, predicate, negate)) = condition {
            stage = stage.with_predicate(predicate_alias, predicate, negate);
        }
        stages.push(stage);
    }
    Built { stages, problems }
}

/// The unique aliases of a list setting, in order; duplicates are reported with Kafka's
/// message and otherwise ignored, as Kafka does.
fn aliases(props: &Properties, key: &str, problems: &mut Vec<(String, String)>) -> Vec<String> {
    let Some(raw) = props.get(key) else {
        return Vec::new();
    };
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Vec::new();
    }
    let listed: Vec<String> = trimmed.split(',').map(|s| s.trim().to_string()).collect();
    let mut unique: Vec<String> = Vec::with_capacity(listed.len());
    for alias in &listed {
        if !unique.contains(alias) {
            unique.push(alias.clone());
        }
    }
    if unique.len() != listed.len() {
        problems.push((
            key.to_string(),
            ConnectError::invalid_config_value(
                key,
                &format!("[{}]", listed.join(", ")),
                "Duplicate alias provided.",
            )
            .message()
            .to_string(),
        ));
    }
    unique
}

/// Finds the plugin named by `<prefix>type`, reporting why when it cannot be used, then checks
/// the plugin's own settings under the prefix. Returns the plugin only when it is of the
/// right kind (its settings may still have problems, which are recorded).
fn resolve_plugin<'r>(
    props: &Properties,
    registry: &'r PluginRegistry,
    prefix: &str,
    kind: AliasKind,
    implicit: &[&str],
    problems: &mut Vec<(String, String)>,
) -> Option<&'r Plugin> {
    let type_key = format!("{prefix}{TYPE_CONFIG}");
    let Some(raw) = props.get(&type_key) else {
        problems.push((
            type_key.clone(),
            format!("Missing required configuration \"{type_key}\" which has no default value."),
        ));
        return None;
    };
    let name = raw.trim();
    let invalid = |value: &str, reason: &str| {
        (
            type_key.clone(),
            ConnectError::invalid_config_value(&type_key, value, reason)
                .message()
                .to_string(),
        )
    };
    if let Some(plugin) = registry.find(name, &[kind.plugin_kind()]) {
        for problem in prefixed_problems(&(plugin.config_def)(), prefix, props, implicit) {
            problems.push(problem);
        }
        return Some(plugin);
    }
    let every_kind = [
        PluginKind::Source,
        PluginKind::Sink,
        PluginKind::Converter,
        PluginKind::HeaderConverter,
        PluginKind::Transformation,
        PluginKind::Predicate,
    ];
    if let Some(other) = registry.find(name, &every_kind) {
        problems.push(invalid(
            &format!("class {}", other.class_name),
            &format!("Not a {}", kind.name()),
        ));
        return None;
    }
    // The outer class of Key/Value variants, e.g. `InsertField`: Kafka points at the variants.
    let variants: Vec<&str> = ["$Key", "$Value"]
        .iter()
        .filter_map(|suffix| {
            registry
                .find(&format!("{name}{suffix}"), &[kind.plugin_kind()])
                .map(|p| p.class_name)
        })
        .collect();
    if let Some(first) = variants.first() {
        let outer = first.rsplit_once('$').map_or(*first, |(outer, _)| outer);
        problems.push(invalid(
            &format!("class {outer}"),
            &format!(
                "{} is abstract and cannot be created. Did you mean {}?",
                kind.name(),
                variants.join(", ")
            ),
        ));
        return None;
    }
    problems.push(invalid(name, &format!("Class {name} could not be found.")));
    None
}

/// Validates a plugin's settings under `prefix`, with every key renamed to its full name so
/// messages read as Kafka Connect's do for the enriched connector config. Implicit settings
/// of the chain (`predicate`, `negate`) mask plugin settings of the same name, as in Kafka.
fn prefixed_problems(
    def: &ConfigDef,
    prefix: &str,
    props: &Properties,
    implicit: &[&str],
) -> Vec<(String, String)> {
    let mut prefixed = ConfigDef::new();
    for key in def.keys() {
        if implicit.contains(&key.name.as_str()) {
            continue;
        }
        prefixed = prefixed.define(ConfigKey {
            name: format!("{prefix}{}", key.name),
            ..key.clone()
        });
    }
    prefixed
        .validate(props)
        .into_iter()
        .flat_map(|v| {
            let name = v.name;
            v.errors.into_iter().map(move |e| (name.clone(), e))
        })
        .collect()
}

/// Reads a transformation's `predicate` and `negate` settings, creating its own instance of
/// the named predicate. Problems are recorded; `None` means unconditional (or broken).
fn stage_condition(
    props: &Properties,
    prefix: &str,
    predicates: &[(&str, Option<&Plugin>)],
    problems: &mut Vec<(String, String)>,
) -> Option<(String, Box<dyn Predicate>, bool)> {
    let predicate_key = format!("{prefix}{PREDICATE_CONFIG}");
    let negate_key = format!("{prefix}{NEGATE_CONFIG}");
    let negate = match props.get(&negate_key) {
        None => false,
        Some(raw) => match ConfigKey::new(
            negate_key.clone(),
            ConfigType::Boolean,
            connect_core::config::Importance::Medium,
            "",
        )
        .parse(raw)
        {
            Ok(connect_core::config::ConfigValue::Boolean(b)) => b,
            Ok(_) => false,
            Err(e) => {
                problems.push((negate_key.clone(), e.message().to_string()));
                false
            }
        },
    };
    let predicate_alias = props
        .get(&predicate_key)
        .map(|raw| raw.trim())
        .filter(|alias| !alias.is_empty());
    let Some(predicate_alias) = predicate_alias else {
        if props.contains_key(&negate_key) {
            problems.push((
                negate_key.clone(),
                format!(
                    "Config '{negate_key}' was provided but there is no config '{predicate_key}' defining a predicate to be negated."
                ),
            ));
        }
        return None;
    };
    let Some((_, plugin)) = predicates.iter().find(|(a, _)| *a == predicate_alias) else {
        problems.push((
            predicate_key.clone(),
            ConnectError::invalid_config_value(
                &predicate_key,
                predicate_alias,
                format_args!(
                    "Predicate '{predicate_alias}' is not defined: list it in '{PREDICATES_CONFIG}' and set '{PREDICATES_CONFIG}.{predicate_alias}.{TYPE_CONFIG}'"
                ),
            )
            .message()
            .to_string(),
        ));
        return None;
    };
    // A broken predicate was already reported under its own keys.
    let PluginFactory::Predicate(create) = (*plugin)?.factory else {
        return None;
    };
    let predicate_prefix = format!("{PREDICATES_CONFIG}.{predicate_alias}.");
    let predicate = create(&originals_with_prefix(props, &predicate_prefix)).ok()?;
    Some((predicate_alias.to_string(), predicate, negate))
}

/// Places an error raised while creating a plugin under the key it names (Kafka's
/// `Invalid value ... for configuration <key>: ...` form), or under `<prefix>type` when it
/// concerns the plugin as a whole (e.g. "No field insertion configured").
fn locate_creation_error(prefix: &str, error: ConnectError) -> (String, String) {
    let message = error.message().to_string();
    let named = message
        .split_once(" for configuration ")
        .and_then(|(_, rest)| rest.split_once(':'))
        .map(|(key, _)| key.trim().to_string())
        .filter(|key| !key.is_empty() && !key.contains(' '));
    let key = match named {
        Some(key) => format!("{prefix}{key}"),
        None => format!("{prefix}{TYPE_CONFIG}"),
    };
    (key, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Value;
    use connect_core::config::properties;

    fn registry() -> PluginRegistry {
        PluginRegistry::new(crate::plugins())
    }

    fn record(topic: &str, value: Value) -> ConnectRecord {
        ConnectRecord::source(topic, None, value)
    }

    fn problems(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        validate(&properties(pairs), &registry())
    }

    #[test]
    fn stages_run_in_order_and_predicates_decide_with_negate() {
        let props = properties(&[
            ("transforms", "keepTombstones, route"),
            ("transforms.keepTombstones.type", "Filter"),
            ("transforms.keepTombstones.predicate", "tombstone"),
            ("transforms.keepTombstones.negate", "true"),
            (
                "transforms.route.type",
                "org.apache.kafka.connect.transforms.RegexRouter",
            ),
            ("transforms.route.regex", "(.*)"),
            ("transforms.route.replacement", "$1-deleted"),
            ("predicates", "tombstone"),
            ("predicates.tombstone.type", "RecordIsTombstone"),
        ]);
        let mut chain = TransformChain::from_config(&props, &registry()).expect("valid chain");
        assert_eq!(chain.len(), 2);
        let stage = &chain.stages_mut()[0];
        assert_eq!(stage.alias(), "keepTombstones");
        assert_eq!(stage.class_name(), crate::filter::CLASS);
        let debug = format!("{stage:?}");
        assert!(
            debug.contains("tombstone") && debug.contains("negate: true"),
            "{debug}"
        );

        // negate=true: the filter applies to records that are NOT tombstones.
        assert_eq!(
            chain
                .apply(record("orders", Value::Int32(1)))
                .expect("apply"),
            None
        );
        let kept = chain
            .apply(record("orders", Value::Null))
            .expect("apply")
            .expect("tombstones pass the filter");
        assert_eq!(kept.topic, "orders-deleted");
    }

    #[test]
    fn a_predicate_without_negate_applies_the_transformation_to_matches_only() {
        let props = properties(&[
            ("transforms", "drop"),
            ("transforms.drop.type", "Filter"),
            ("transforms.drop.predicate", "isOrders"),
            ("predicates", "isOrders"),
            ("predicates.isOrders.type", "TopicNameMatches"),
            ("predicates.isOrders.pattern", "orders"),
        ]);
        let mut chain = TransformChain::from_config(&props, &registry()).expect("valid chain");
        assert_eq!(
            chain
                .apply(record("orders", Value::Int32(1)))
                .expect("apply"),
            None
        );
        let other = chain
            .apply(record("users", Value::Int32(1)))
            .expect("apply");
        assert_eq!(other.map(|r| r.topic), Some("users".to_string()));
    }

    #[test]
    fn an_empty_config_is_an_empty_chain_that_passes_records_through() {
        let mut chain =
            TransformChain::from_config(&Properties::new(), &registry()).expect("no transforms");
        assert!(chain.is_empty());
        let out = chain.apply(record("t", Value::Int32(3))).expect("apply");
        assert_eq!(out.map(|r| r.value), Some(Value::Int32(3)));
        assert!(problems(&[("transforms", " ")]).is_empty());
    }

    #[test]
    fn validation_reports_alias_and_type_problems_under_their_keys() {
        let found = problems(&[
            ("transforms", "a,b,a,c,d,e"),
            ("transforms.a.type", "NoSuchTransform"),
            ("transforms.c.type", "RecordIsTombstone"),
            (
                "transforms.d.type",
                "org.apache.kafka.connect.transforms.InsertField",
            ),
            ("transforms.e.type", "Filter"),
        ]);
        assert_eq!(
            found,
            vec![
                (
                    "transforms".to_string(),
                    "Invalid value [a, b, a, c, d, e] for configuration transforms: Duplicate alias provided.".to_string()
                ),
                (
                    "transforms.a.type".to_string(),
                    "Invalid value NoSuchTransform for configuration transforms.a.type: Class NoSuchTransform could not be found.".to_string()
                ),
                (
                    "transforms.b.type".to_string(),
                    "Missing required configuration \"transforms.b.type\" which has no default value.".to_string()
                ),
                (
                    "transforms.c.type".to_string(),
                    "Invalid value class org.apache.kafka.connect.transforms.predicates.RecordIsTombstone for configuration transforms.c.type: Not a Transformation".to_string()
                ),
                (
                    "transforms.d.type".to_string(),
                    "Invalid value class org.apache.kafka.connect.transforms.InsertField for configuration transforms.d.type: Transformation is abstract and cannot be created. Did you mean org.apache.kafka.connect.transforms.InsertField$Key, org.apache.kafka.connect.transforms.InsertField$Value?".to_string()
                ),
            ]
        );
    }

    #[test]
    fn validation_checks_plugin_settings_under_their_full_names() {
        let found = problems(&[
            ("transforms", "mask,insert,headers"),
            ("transforms.mask.type", "MaskField$Value"),
            ("transforms.mask.replacement", ""),
            ("transforms.insert.type", "InsertField$Value"),
            ("transforms.headers.type", "HeaderFrom$Value"),
            ("transforms.headers.fields", "a,b"),
            ("transforms.headers.headers", "x"),
            ("transforms.headers.operation", "copy"),
        ]);
        assert_eq!(
            found,
            vec![
                (
                    "transforms.mask.fields".to_string(),
                    "Missing required configuration \"transforms.mask.fields\" which has no default value.".to_string()
                ),
                (
                    "transforms.mask.replacement".to_string(),
                    "Invalid value  for configuration transforms.mask.replacement: String must be non-empty".to_string()
                ),
                (
                    "transforms.insert.type".to_string(),
                    "No field insertion configured".to_string()
                ),
                (
                    "transforms.headers.type".to_string(),
                    "'fields' config must have the same number of elements as 'headers' config.".to_string()
                ),
            ]
        );
        let err = TransformChain::from_config(
            &properties(&[
                ("transforms", "insert"),
                ("transforms.insert.type", "InsertField$Value"),
            ]),
            &registry(),
        )
        .expect_err("no insertion configured");
        assert_eq!(err.simple_class(), "ConfigException");
        assert_eq!(
            err.message(),
            "transforms.insert.type: No field insertion configured"
        );
    }

    #[test]
    fn validation_checks_predicate_references() {
        let found = problems(&[
            ("transforms", "a,b,c"),
            ("transforms.a.type", "Filter"),
            ("transforms.a.predicate", "missing"),
            ("transforms.b.type", "Filter"),
            ("transforms.b.negate", "true"),
            ("transforms.c.type", "Filter"),
            ("transforms.c.predicate", "p"),
            ("transforms.c.negate", "maybe"),
            ("predicates", "p,q"),
            ("predicates.p.type", "TopicNameMatches"),
            ("predicates.p.pattern", "(["),
        ]);
        assert_eq!(
            found,
            vec![
                (
                    "predicates.p.pattern".to_string(),
                    "Invalid value ([ for configuration predicates.p.pattern: Invalid regex: Unclosed character class near index 1".to_string()
                ),
                (
                    "predicates.q.type".to_string(),
                    "Missing required configuration \"predicates.q.type\" which has no default value.".to_string()
                ),
                (
                    "transforms.a.predicate".to_string(),
                    "Invalid value missing for configuration transforms.a.predicate: Predicate 'missing' is not defined: list it in 'predicates' and set 'predicates.missing.type'".to_string()
                ),
                (
                    "transforms.b.negate".to_string(),
                    "Config 'transforms.b.negate' was provided but there is no config 'transforms.b.predicate' defining a predicate to be negated.".to_string()
                ),
                (
                    "transforms.c.negate".to_string(),
                    "Invalid value maybe for configuration transforms.c.negate: Expected value to be either true or false".to_string()
                ),
            ]
        );
    }

    #[test]
    fn each_stage_keeps_its_own_schema_cache() {
        use connect_core::{SchemaBuilder, Struct};
        let schema = SchemaBuilder::structure()
            .field("id", SchemaBuilder::int64().build().expect("int64"))
            .build()
            .expect("struct");
        let value = Struct::new(schema.clone())
            .expect("struct value")
            .with("id", 1i64)
            .expect("id");
        let props = properties(&[
            ("transforms", "insert"),
            ("transforms.insert.type", "InsertField$Value"),
            ("transforms.insert.static.field", "env"),
            ("transforms.insert.static.value", "prod"),
        ]);
        let mut chain = TransformChain::from_config(&props, &registry()).expect("valid chain");
        let mut out = Vec::new();
        for _ in 0..2 {
            let input =
                ConnectRecord::source("t", Some(schema.clone()), Value::Struct(value.clone()));
            out.push(chain.apply(input).expect("apply").expect("kept"));
        }
        let (a, b) = (
            out[0].value_schema.as_ref().expect("schema"),
            out[1].value_schema.as_ref().expect("schema"),
        );
        assert!(
            a.ptr_eq(b),
            "the derived schema is computed once and reused"
        );
    }
}
