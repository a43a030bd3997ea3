//! Single Message Transforms (SMTs) and predicates, one per file, and the chain that runs
//! them, with Kafka Connect's class names, settings, output schemas and error messages.
//!
//! Each SMT with Key and Value variants is one type parameterised by [`side::Side`], so the
//! two variants cannot drift apart. Schema'd records get their output schema derived once per
//! input schema and kept in a [`schema_cache::SchemaCache`]; the SMTs that rebuild structs on
//! every record (InsertField, ReplaceField, Cast, MaskField, ValueToKey) keep a whole per-schema
//! plan in a [`schema_cache::PlanCache`] instead (see [`struct_plan`]), so a record costs a
//! pointer comparison and moving its values, not lookups by name or copies.
//!
//! Every module that holds a plugin exposes `plugins()`, and [`plugins`] concatenates them:
//! adding an SMT is one module and one line here.

pub mod cast;
pub mod chain;
pub mod drop_headers;
pub mod extract_field;
pub mod field_path;
pub mod filter;
pub mod flatten;
pub mod header_from;
pub mod hoist_field;
pub mod insert_field;
pub mod insert_header;
pub mod java_chars;
pub mod java_date_format;
pub mod java_decimal;
pub mod java_regex;
pub mod mask_field;
pub mod predicates;
pub mod regex_router;
pub mod replace_field;
pub mod requirements;
pub mod schema_cache;
pub mod schema_util;
pub mod schemaless;
pub mod set_schema_metadata;
pub mod side;
pub mod struct_plan;
pub mod timestamp_converter;
pub mod timestamp_router;
pub mod value_to_key;

use connect_core::config::ConfigDef;
use connect_core::plugin::{Plugin, PluginFactory};
use connect_core::transform::{PredicateFactory, TransformationFactory};

/// The version reported for every built-in transform and predicate.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every built-in transformation and predicate, under its Kafka Connect class name.
pub fn plugins() -> Vec<Plugin> {
    let mut all = Vec::new();
    all.extend(insert_field::plugins());
    all.extend(replace_field::plugins());
    all.extend(mask_field::plugins());
    all.extend(value_to_key::plugins());
    all.extend(extract_field::plugins());
    all.extend(hoist_field::plugins());
    all.extend(set_schema_metadata::plugins());
    all.extend(filter::plugins());
    all.extend(insert_header::plugins());
    all.extend(drop_headers::plugins());
    all.extend(header_from::plugins());
    all.extend(regex_router::plugins());
    all.extend(cast::plugins());
    all.extend(flatten::plugins());
    all.extend(timestamp_converter::plugins());
    all.extend(timestamp_router::plugins());
    all.extend(predicates::plugins());
    all
}

/// A transformation's registry entry.
pub(crate) fn transformation_plugin(
    class_name: &'static str,
    summary: &'static str,
    config_def: fn() -> ConfigDef,
    factory: TransformationFactory,
) -> Plugin {
    Plugin {
        class_name,
        version: VERSION,
        summary,
        config_def,
        factory: PluginFactory::Transformation(factory),
    }
}

/// A predicate's registry entry.
pub(crate) fn predicate_plugin(
    class_name: &'static str,
    summary: &'static str,
    config_def: fn() -> ConfigDef,
    factory: PredicateFactory,
) -> Plugin {
    Plugin {
        class_name,
        version: VERSION,
        summary,
        config_def,
        factory: PluginFactory::Predicate(factory),
    }
}

/// Kafka's `replace.null.with.default` setting (KIP-1040), shared by the SMTs that copy
/// struct fields: whether a null field with a schema default is read as its default.
pub(crate) fn replace_null_with_default_key() -> connect_core::config::ConfigKey {
    use connect_core::config::{ConfigKey, ConfigType, ConfigValue, Importance};
    ConfigKey::new(
        REPLACE_NULL_WITH_DEFAULT,
        ConfigType::Boolean,
        Importance::Medium,
        "Whether a null struct field that has a default value in its schema is read as that default (true) or kept as null (false).",
    )
    .with_default(ConfigValue::Boolean(true))
}

/// The name of [`replace_null_with_default_key`].
pub(crate) const REPLACE_NULL_WITH_DEFAULT: &str = "replace.null.with.default";
