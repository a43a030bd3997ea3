//! The registry's state in memory: what the `_schemas` topic says, replayed record by
//! record.
//!
//! Pure data with no I/O, so replaying the topic at start and applying a write after
//! Kafka acknowledged it are the same code ([`State::apply`]), and the rules are
//! testable without a broker.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use crate::level::CompatibilityLevel;
use crate::records::{Record, SchemaValue};

/// A version of a subject: which schema, and whether it is soft-deleted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct VersionEntry {
    pub(crate) id: i32,
    pub(crate) deleted: bool,
}

/// A schema known by id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredSchema {
    /// The canonical text.
    pub(crate) text: Arc<str>,
    /// `None` for Avro; another registry may have stored other types in the topic.
    pub(crate) schema_type: Option<String>,
    /// References another registry stored with it (this one stores none).
    pub(crate) references: Option<serde_json::Value>,
}

/// Everything the registry knows.
#[derive(Debug, Default)]
pub(crate) struct State {
    /// Subject -> version -> entry, both ordered, which is the order Confluent lists them.
    subjects: BTreeMap<String, BTreeMap<i32, VersionEntry>>,
    /// Id -> schema, for every id some version still refers to.
    schemas: HashMap<i32, StoredSchema>,
    /// (schema type, canonical text) -> id: the same schema keeps its id everywhere.
    ids: HashMap<(Option<String>, Arc<str>), i32>,
    subject_levels: HashMap<String, CompatibilityLevel>,
    global_level: Option<CompatibilityLevel>,
    /// The highest id ever seen, so an id is never handed out twice.
    max_id: i32,
}

impl State {
    /// Applies one record of the topic.
    pub(crate) fn apply(&mut self, record: &Record) {
        match record {
            Record::Schema {
                subject,
                version,
                value: Some(value),
            } => self.put_version(subject, *version, value),
            Record::Schema {
                subject,
                version,
                value: None,
            } => self.remove_version(subject, *version),
            Record::Config {
                subject: Some(subject),
                level,
            } => match level {
                Some(level) => {
                    self.subject_levels.insert(subject.clone(), *level);
                }
                None => {
                    self.subject_levels.remove(subject);
                }
            },
            Record::Config {
                subject: None,
                level,
            } => self.global_level = *level,
            Record::DeleteSubject { subject, version } => {
                if let Some(versions) = self.subjects.get_mut(subject) {
                    for (_, entry) in versions.range_mut(..=*version) {
                        entry.deleted = true;
                    }
                }
            }
        }
    }

    fn put_version(&mut self, subject: &str, version: i32, value: &SchemaValue) {
        let entry = VersionEntry {
            id: value.id,
            deleted: value.deleted,
        };
        self.subjects
            .entry(subject.to_owned())
            .or_default()
            .insert(version, entry);
        self.max_id = self.max_id.max(value.id);
        if !self.schemas.contains_key(&value.id) {
            let text: Arc<str> = Arc::from(value.schema.as_str());
            let schema_type = value
                .schema_type
                .clone()
                .filter(|t| !t.eq_ignore_ascii_case("AVRO"));
            self.ids
                .entry((schema_type.clone(), text.clone()))
                .or_insert(value.id);
            self.schemas.insert(
                value.id,
                StoredSchema {
                    text,
                    schema_type,
                    references: value.references.clone(),
                },
            );
        }
    }

    fn remove_version(&mut self, subject: &str, version: i32) {
        let Some(versions) = self.subjects.get_mut(subject) else {
            return;
        };
        let Some(removed) = versions.remove(&version) else {
            return;
        };
        if versions.is_empty() {
            self.subjects.remove(subject);
        }
        let still_used = self
            .subjects
            .values()
            .any(|versions| versions.values().any(|e| e.id == removed.id));
        if !still_used && let Some(schema) = self.schemas.remove(&removed.id) {
            self.ids.remove(&(schema.schema_type, schema.text));
        }
    }

    /// Subjects with a live version, or with any version when `include_deleted`.
    pub(crate) fn subjects(&self, include_deleted: bool) -> Vec<String> {
        self.subjects
            .iter()
            .filter(|(_, versions)| include_deleted || versions.values().any(|e| !e.deleted))
            .map(|(subject, _)| subject.clone())
            .collect()
    }

    /// Whether the subject has a live version (or any, with `include_deleted`).
    pub(crate) fn has_subject(&self, subject: &str, include_deleted: bool) -> bool {
        self.subjects
            .get(subject)
            .is_some_and(|versions| include_deleted || versions.values().any(|e| !e.deleted))
    }

    /// The subject's version numbers, ascending.
    pub(crate) fn versions(&self, subject: &str, include_deleted: bool) -> Vec<i32> {
        self.subjects
            .get(subject)
            .map(|versions| {
                versions
                    .iter()
                    .filter(|(_, e)| include_deleted || !e.deleted)
                    .map(|(v, _)| *v)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// One version, deleted or not.
    pub(crate) fn version(&self, subject: &str, version: i32) -> Option<VersionEntry> {
        self.subjects.get(subject)?.get(&version).copied()
    }

    /// The highest version number used under the subject (deleted ones count: numbers
    /// are not reused until a permanent delete).
    pub(crate) fn next_version(&self, subject: &str) -> i32 {
        self.subjects
            .get(subject)
            .and_then(|versions| versions.keys().next_back())
            .map_or(1, |v| v + 1)
    }

    /// The id the next new schema gets.
    pub(crate) fn next_id(&self) -> i32 {
        self.max_id + 1
    }

    /// A schema by id.
    pub(crate) fn schema(&self, id: i32) -> Option<&StoredSchema> {
        self.schemas.get(&id)
    }

    /// The id of an Avro schema with this canonical text, under any subject.
    pub(crate) fn avro_id(&self, text: &str) -> Option<i32> {
        self.ids.get(&(None, Arc::from(text))).copied()
    }

    /// The highest version of `subject` holding schema `id`.
    pub(crate) fn version_of(&self, subject: &str, id: i32, include_deleted: bool) -> Option<i32> {
        self.subjects
            .get(subject)?
            .iter()
            .rev()
            .find(|(_, e)| e.id == id && (include_deleted || !e.deleted))
            .map(|(v, _)| *v)
    }

    /// Every (subject, version) holding schema `id`.
    pub(crate) fn usages(&self, id: i32, include_deleted: bool) -> Vec<(String, i32)> {
        self.subjects
            .iter()
            .flat_map(|(subject, versions)| {
                versions
                    .iter()
                    .filter(move |(_, e)| e.id == id && (include_deleted || !e.deleted))
                    .map(move |(v, _)| (subject.clone(), *v))
            })
            .collect()
    }

    /// The subject's own level, if set.
    pub(crate) fn subject_level(&self, subject: &str) -> Option<CompatibilityLevel> {
        self.subject_levels.get(subject).copied()
    }

    /// The global level (Confluent's default when never set).
    pub(crate) fn global_level(&self) -> CompatibilityLevel {
        self.global_level.unwrap_or(CompatibilityLevel::DEFAULT)
    }

    /// The level that applies to the subject.
    pub(crate) fn effective_level(&self, subject: &str) -> CompatibilityLevel {
        self.subject_level(subject)
            .unwrap_or_else(|| self.global_level())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(subject: &str, version: i32, id: i32, schema: &str) -> Record {
        Record::Schema {
            subject: subject.into(),
            version,
            value: Some(SchemaValue {
                subject: subject.into(),
                version,
                id,
                schema_type: None,
                references: None,
                schema: schema.into(),
                deleted: false,
            }),
        }
    }

    #[test]
    fn soft_delete_hides_versions_and_keeps_ids_resolvable() {
        let mut state = State::default();
        state.apply(&register("a", 1, 1, r#""string""#));
        state.apply(&register("a", 2, 2, r#""long""#));
        state.apply(&Record::DeleteSubject {
            subject: "a".into(),
            version: 2,
        });
        assert!(state.subjects(false).is_empty());
        assert_eq!(state.subjects(true), ["a"]);
        assert_eq!(state.versions("a", true), [1, 2]);
        assert!(state.schema(1).is_some(), "consumers still decode old data");
        assert_eq!(state.next_version("a"), 3, "version numbers are not reused");
    }

    #[test]
    fn permanent_delete_forgets_unused_schemas_but_not_their_ids() {
        let mut state = State::default();
        state.apply(&register("a", 1, 1, r#""string""#));
        state.apply(&register("b", 1, 1, r#""string""#));
        state.apply(&register("b", 2, 2, r#""long""#));
        for version in [1, 2] {
            state.apply(&Record::Schema {
                subject: "b".into(),
                version,
                value: None,
            });
        }
        assert_eq!(state.subjects(true), ["a"]);
        assert_eq!(state.avro_id(r#""string""#), Some(1), "still used by a");
        assert_eq!(state.schema(2), None);
        assert_eq!(state.avro_id(r#""long""#), None);
        assert_eq!(state.next_id(), 3);
        assert_eq!(state.next_version("b"), 1);
    }

    #[test]
    fn levels_fall_back_to_global_then_backward() {
        let mut state = State::default();
        assert_eq!(state.effective_level("s"), CompatibilityLevel::Backward);
        state.apply(&Record::Config {
            subject: None,
            level: Some(CompatibilityLevel::Full),
        });
        assert_eq!(state.effective_level("s"), CompatibilityLevel::Full);
        state.apply(&Record::Config {
            subject: Some("s".into()),
            level: Some(CompatibilityLevel::None),
        });
        assert_eq!(state.effective_level("s"), CompatibilityLevel::None);
        state.apply(&Record::Config {
            subject: Some("s".into()),
            level: None,
        });
        assert_eq!(state.subject_level("s"), None);
        assert_eq!(state.effective_level("s"), CompatibilityLevel::Full);
    }
}
