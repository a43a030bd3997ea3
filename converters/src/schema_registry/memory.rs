//! An in-memory schema registry with the id and version rules of Confluent's
//! `MockSchemaRegistryClient`.
//!
//! It stands in for a real registry where one would be in the way: the conformance vectors
//! were generated against Confluent's mock, unit tests count calls on it, benchmarks measure
//! the converter rather than a network, and `schema.registry.url=mock://<scope>` gives a
//! pipeline a registry shared by every converter of the process that names the same scope,
//! as Confluent's `mock://` URLs do. Rules: ids are global, start at 1 and increase in
//! registration order; a schema identical to one registered under any subject reuses that
//! id; versions are per subject, from 1; registering a schema already in the subject
//! changes nothing. Schemas are compared by their canonical text (Avro Java's
//! `Schema.toString()`), which is also what is stored.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};

use async_trait::async_trait;

use super::{RegisteredSchema, RegistryError, SchemaRegistryClient};
use crate::avro::schema::AvroSchema;

#[derive(Debug, Default)]
struct State {
    next_id: i32,
    by_id: BTreeMap<i32, String>,
    id_by_text: HashMap<String, i32>,
    /// Per subject: (version, id), in version order.
    subjects: BTreeMap<String, Vec<(i32, i32)>>,
}

/// How often each call was made, to prove caching in tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CallCounts {
    /// [`SchemaRegistryClient::register`] calls.
    pub register: usize,
    /// [`SchemaRegistryClient::lookup`] calls.
    pub lookup: usize,
    /// [`SchemaRegistryClient::schema_by_id`] calls.
    pub schema_by_id: usize,
    /// [`SchemaRegistryClient::latest`] calls.
    pub latest: usize,
}

impl CallCounts {
    /// All calls together.
    pub fn total(&self) -> usize {
        self.register + self.lookup + self.schema_by_id + self.latest
    }
}

/// The in-memory registry.
#[derive(Debug, Default)]
pub struct InMemorySchemaRegistry {
    state: Mutex<State>,
    register_calls: AtomicUsize,
    lookup_calls: AtomicUsize,
    by_id_calls: AtomicUsize,
    latest_calls: AtomicUsize,
}

static SCOPES: LazyLock<Mutex<HashMap<String, Arc<InMemorySchemaRegistry>>>> =
    LazyLock::new(Default::default);

fn canonical(text: &str) -> Result<String, RegistryError> {
    AvroSchema::parse(text)
        .and_then(|s| s.to_canonical_string())
        .map_err(|e| RegistryError::Rejected {
            status: 422,
            code: 42201,
            message: format!("Invalid schema: {e}"),
        })
}

impl InMemorySchemaRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// The registry of a `mock://<scope>` URL: one per scope and process.
    pub fn scoped(scope: &str) -> Arc<Self> {
        let mut scopes = SCOPES.lock().unwrap_or_else(|p| p.into_inner());
        scopes.entry(scope.to_string()).or_default().clone()
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Registers a schema (synchronously, without counting a call): for preparing tests.
    pub fn register_now(
        &self,
        subject: &str,
        schema: &str,
    ) -> Result<RegisteredSchema, RegistryError> {
        let text = canonical(schema)?;
        let mut state = self.state();
        let versions = state.subjects.get(subject).cloned().unwrap_or_default();
        if let Some(&(version, id)) = versions
            .iter()
            .find(|(_, id)| state.by_id.get(id) == Some(&text))
        {
            return Ok(RegisteredSchema {
                subject: subject.to_string(),
                id,
                version,
                schema: text,
            });
        }
        let id = match state.id_by_text.get(&text) {
            Some(id) => *id,
            None => {
                state.next_id += 1;
                let id = state.next_id;
                state.by_id.insert(id, text.clone());
                state.id_by_text.insert(text.clone(), id);
                id
            }
        };
        let version = versions.last().map_or(1, |(v, _)| v + 1);
        state
            .subjects
            .entry(subject.to_string())
            .or_default()
            .push((version, id));
        Ok(RegisteredSchema {
            subject: subject.to_string(),
            id,
            version,
            schema: text,
        })
    }

    /// Every subject, sorted.
    pub fn subjects(&self) -> Vec<String> {
        self.state().subjects.keys().cloned().collect()
    }

    /// How many calls of each kind were made so far.
    pub fn calls(&self) -> CallCounts {
        CallCounts {
            register: self.register_calls.load(Ordering::Relaxed),
            lookup: self.lookup_calls.load(Ordering::Relaxed),
            schema_by_id: self.by_id_calls.load(Ordering::Relaxed),
            latest: self.latest_calls.load(Ordering::Relaxed),
        }
    }

    fn lookup_now(&self, subject: &str, schema: &str) -> Result<RegisteredSchema, RegistryError> {
        let text = canonical(schema)?;
        let state = self.state();
        let versions = state
            .subjects
            .get(subject)
            .ok_or_else(|| RegistryError::subject_not_found(subject))?;
        versions
            .iter()
            .find(|(_, id)| state.by_id.get(id) == Some(&text))
            .map(|&(version, id)| RegisteredSchema {
                subject: subject.to_string(),
                id,
                version,
                schema: text.clone(),
            })
            .ok_or_else(RegistryError::schema_not_found)
    }
}

#[async_trait]
impl SchemaRegistryClient for InMemorySchemaRegistry {
    async fn register(&self, subject: &str, schema: &str) -> Result<i32, RegistryError> {
        self.register_calls.fetch_add(1, Ordering::Relaxed);
        self.register_now(subject, schema).map(|r| r.id)
    }

    async fn lookup(&self, subject: &str, schema: &str) -> Result<RegisteredSchema, RegistryError> {
        self.lookup_calls.fetch_add(1, Ordering::Relaxed);
        self.lookup_now(subject, schema)
    }

    async fn schema_by_id(&self, id: i32) -> Result<String, RegistryError> {
        self.by_id_calls.fetch_add(1, Ordering::Relaxed);
        self.state()
            .by_id
            .get(&id)
            .cloned()
            .ok_or_else(RegistryError::schema_not_found)
    }

    async fn latest(&self, subject: &str) -> Result<RegisteredSchema, RegistryError> {
        self.latest_calls.fetch_add(1, Ordering::Relaxed);
        let state = self.state();
        let &(version, id) = state
            .subjects
            .get(subject)
            .and_then(|v| v.last())
            .ok_or_else(|| RegistryError::subject_not_found(subject))?;
        Ok(RegisteredSchema {
            subject: subject.to_string(),
            id,
            version,
            schema: state.by_id.get(&id).cloned().unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"long"}]}"#;
    const V2: &str = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"long"},{"name":"e","type":["null","string"],"default":null}]}"#;

    #[test]
    fn ids_are_global_and_versions_per_subject() {
        let registry = InMemorySchemaRegistry::new();
        let a = registry.register_now("a-value", V1).expect("registers");
        assert_eq!((a.id, a.version), (1, 1));
        let again = registry.register_now("a-value", V1).expect("registers");
        assert_eq!(
            (again.id, again.version),
            (1, 1),
            "re-registering is a no-op"
        );
        let v2 = registry.register_now("a-value", V2).expect("registers");
        assert_eq!((v2.id, v2.version), (2, 2));
        let other = registry.register_now("b-value", V2).expect("registers");
        assert_eq!((other.id, other.version), (2, 1), "same schema, same id");
        let old = registry.register_now("a-value", V1).expect("registers");
        assert_eq!(
            (old.id, old.version),
            (1, 1),
            "an older version is found again"
        );
        assert_eq!(registry.subjects(), vec!["a-value", "b-value"]);
    }

    #[tokio::test]
    async fn unknown_ids_and_subjects_are_not_found() {
        let registry = InMemorySchemaRegistry::new();
        let err = registry.schema_by_id(99).await.expect_err("unknown id");
        assert!(matches!(err, RegistryError::NotFound { code: 40403, .. }));
        assert!(!err.is_retriable());
        let err = registry.latest("x").await.expect_err("unknown subject");
        assert!(matches!(err, RegistryError::NotFound { code: 40401, .. }));
        assert_eq!(registry.calls().total(), 2);
    }

    #[test]
    fn scopes_share_one_registry_per_name() {
        let a = InMemorySchemaRegistry::scoped("memory-test-scope");
        let b = InMemorySchemaRegistry::scoped("memory-test-scope");
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(
            &a,
            &InMemorySchemaRegistry::scoped("other-scope")
        ));
    }
}
