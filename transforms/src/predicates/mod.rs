//! Predicates that make a transformation conditional (`transforms.<alias>.predicate`), one
//! per file, under their Kafka Connect class names.

pub mod has_header_key;
pub mod record_is_tombstone;
pub mod topic_name_matches;

use connect_core::plugin::Plugin;

/// Every built-in predicate.
pub(crate) fn plugins() -> Vec<Plugin> {
    vec![
        topic_name_matches::plugin(),
        has_header_key::plugin(),
        record_is_tombstone::plugin(),
    ]
}
