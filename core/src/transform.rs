//! The contracts of single message transforms (SMTs) and of the predicates that make them
//! conditional.
//!
//! A transformation is a small function from one record to zero or one record, configured
//! once from its string settings. It takes `&mut self` because schema'd transforms keep a
//! per-instance cache of derived output schemas (Kafka Connect does the same with an LRU
//! cache per SMT instance), and every task owns its own chain, so no locking is needed.
//! Predicates only look at a record, so they take `&self`. Both are `Send + Sync` so a
//! task's chain can live in the task's state across awaits on a multi-threaded runtime.

use crate::config::Properties;
use crate::error::Result;
use crate::record::ConnectRecord;
use crate::value::Value;

/// A single message transform: `Ok(None)` drops the record (Kafka's `apply` returning null).
pub trait Transformation: Send + Sync {
    /// Transforms one record. Errors use the Kafka Connect exception each SMT throws
    /// (mostly `DataException`), so that dead letter queue headers and status traces read
    /// the same as in Kafka Connect.
    fn apply(&mut self, record: ConnectRecord) -> Result<Option<ConnectRecord>>;

    /// Transforms a record where it lies: `Ok(false)` drops it. Chains pass one record
    /// through every stage this way instead of moving the whole record in and out of each
    /// call, which for a chain of cheap transforms costs as much as their own work.
    /// Transforms that only touch a part of the record override it (and write `apply` in
    /// terms of it); the default goes through [`Transformation::apply`]. After an error the
    /// record's content is unspecified: callers keep their own copy when they need one.
    fn apply_in_place(&mut self, record: &mut ConnectRecord) -> Result<bool> {
        let taken = std::mem::replace(
            record,
            ConnectRecord::source(String::new(), None, Value::Null),
        );
        match self.apply(taken)? {
            Some(transformed) => {
                *record = transformed;
                Ok(true)
            }
            None => Ok(false),
        }
    }
}

/// A condition on a record that decides whether a transformation applies to it.
pub trait Predicate: Send + Sync {
    /// Whether the record matches.
    fn test(&self, record: &ConnectRecord) -> Result<bool>;
}

/// Creates a transformation from its settings (the `transforms.<alias>.` prefix removed).
/// A bad setting is a `ConfigException`-style [`crate::ConnectError::Config`].
pub type TransformationFactory = fn(&Properties) -> Result<Box<dyn Transformation>>;

/// Creates a predicate from its settings (the `predicates.<alias>.` prefix removed).
pub type PredicateFactory = fn(&Properties) -> Result<Box<dyn Predicate>>;
