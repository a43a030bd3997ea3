//! The registry's operations and their rules (Confluent's semantics), over the state in
//! memory and the topic.
//!
//! Reads answer from memory. Writes are serialized by one lock: each decides from the
//! current state which records to append (a registration, a soft delete, a setting),
//! appends them, and applies each one after Kafka acknowledged it. Holding the lock from
//! decision to application is what keeps two concurrent registrations of different
//! schemas from getting the same id or version.

use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use serde::Serialize;

use crate::RegistryError;
use crate::compatibility::{PreviousVersion, check_level};
use crate::level::CompatibilityLevel;
use crate::records::{Record, SchemaValue};
use crate::schema::AvroSchema;
use crate::state::{State, StoredSchema};
use crate::store::{KafkaStore, StoreOptions};

/// Which version a request means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionSpec {
    /// The newest (`latest` or `-1`).
    Latest,
    /// A version number, 1 or more.
    Number(i32),
}

impl VersionSpec {
    /// Parses a version path segment as Confluent's `VersionId` does.
    pub fn parse(text: &str) -> Result<VersionSpec, RegistryError> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("latest") {
            return Ok(VersionSpec::Latest);
        }
        match trimmed.parse::<i32>() {
            Ok(-1) => Ok(VersionSpec::Latest),
            Ok(n) if n >= 1 => Ok(VersionSpec::Number(n)),
            _ => Err(RegistryError::InvalidVersion(text.to_owned())),
        }
    }
}

/// A version of a subject, as `GET /subjects/{s}/versions/{v}` and lookups return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubjectVersion {
    /// The subject.
    pub subject: String,
    /// The version under the subject.
    pub version: i32,
    /// The schema's global id.
    pub id: i32,
    /// Omitted for Avro, as Confluent does.
    #[serde(rename = "schemaType", skip_serializing_if = "Option::is_none")]
    pub schema_type: Option<String>,
    /// References stored by another registry, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub references: Option<serde_json::Value>,
    /// The schema text.
    pub schema: String,
}

/// The registry: state, topic, and the lock that orders writes.
pub(crate) struct Registry {
    store: KafkaStore,
    state: RwLock<State>,
    writes: tokio::sync::Mutex<()>,
}

impl Registry {
    /// Opens the topic and reads it to its end.
    pub(crate) async fn open(options: StoreOptions) -> Result<Registry, RegistryError> {
        let (store, state) = KafkaStore::open(options).await?;
        Ok(Registry {
            store,
            state: RwLock::new(state),
            writes: tokio::sync::Mutex::new(()),
        })
    }

    fn state(&self) -> RwLockReadGuard<'_, State> {
        // A panic while applying a record leaves the state as it was before that record:
        // still the best answer there is.
        self.state
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn state_mut(&self) -> RwLockWriteGuard<'_, State> {
        self.state
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Appends the records in order, applying each once acknowledged.
    async fn commit(&self, records: &[Record]) -> Result<(), RegistryError> {
        for record in records {
            self.store.append(record).await?;
            self.state_mut().apply(record);
        }
        Ok(())
    }

    /// Registers `schema` under `subject` and returns its global id.
    ///
    /// Idempotent: a schema already live under the subject returns its id without a
    /// write. A schema known under another subject (or soft-deleted under this one)
    /// keeps its id and becomes a new version here. Anything new must pass the subject's
    /// compatibility level against its live versions.
    pub(crate) async fn register(
        &self,
        subject: &str,
        schema: &AvroSchema,
    ) -> Result<i32, RegistryError> {
        let _writer = self.writes.lock().await;
        let record = {
            let state = self.state();
            let known_id = state.avro_id(schema.canonical());
            if let Some(id) = known_id
                && state.version_of(subject, id, false).is_some()
            {
                return Ok(id);
            }
            let messages = check_level(
                state.effective_level(subject),
                schema,
                &previous_versions(&state, subject)?,
            );
            if !messages.is_empty() {
                return Err(RegistryError::Incompatible {
                    subject: subject.to_owned(),
                    messages,
                });
            }
            let id = known_id.unwrap_or_else(|| state.next_id());
            let version = state.next_version(subject);
            Record::Schema {
                subject: subject.to_owned(),
                version,
                value: Some(SchemaValue {
                    subject: subject.to_owned(),
                    version,
                    id,
                    schema_type: None,
                    references: None,
                    schema: schema.canonical().to_owned(),
                    deleted: false,
                }),
            }
        };
        self.commit(std::slice::from_ref(&record)).await?;
        match record {
            Record::Schema {
                value: Some(value), ..
            } => {
                tracing::info!(
                    subject,
                    version = value.version,
                    id = value.id,
                    "Schema registered."
                );
                Ok(value.id)
            }
            _ => Err(RegistryError::StoreState("registration record lost".into())),
        }
    }

    /// The version of `subject` holding `schema`.
    pub(crate) fn lookup(
        &self,
        subject: &str,
        schema: &AvroSchema,
        include_deleted: bool,
    ) -> Result<SubjectVersion, RegistryError> {
        let state = self.state();
        if !state.has_subject(subject, include_deleted) {
            return Err(RegistryError::SubjectNotFound(subject.to_owned()));
        }
        let id = state
            .avro_id(schema.canonical())
            .ok_or(RegistryError::SchemaNotFound)?;
        let version = state
            .version_of(subject, id, include_deleted)
            .ok_or(RegistryError::SchemaNotFound)?;
        subject_version(&state, subject, version, id)
    }

    /// A schema by id (soft-deleted versions keep their schemas readable).
    pub(crate) fn schema_by_id(&self, id: i32) -> Result<StoredSchema, RegistryError> {
        self.state()
            .schema(id)
            .cloned()
            .ok_or(RegistryError::SchemaIdNotFound(id))
    }

    /// The (subject, version) pairs holding schema `id`.
    pub(crate) fn usages_of_id(
        &self,
        id: i32,
        include_deleted: bool,
    ) -> Result<Vec<(String, i32)>, RegistryError> {
        let state = self.state();
        if state.schema(id).is_none() {
            return Err(RegistryError::SchemaIdNotFound(id));
        }
        Ok(state.usages(id, include_deleted))
    }

    /// Subjects, optionally with soft-deleted ones or only those, filtered by prefix.
    pub(crate) fn subjects(
        &self,
        include_deleted: bool,
        deleted_only: bool,
        prefix: &str,
    ) -> Vec<String> {
        let state = self.state();
        let live = state.subjects(false);
        state
            .subjects(include_deleted || deleted_only)
            .into_iter()
            .filter(|s| s.starts_with(prefix))
            .filter(|s| !deleted_only || !live.contains(s))
            .collect()
    }

    /// A subject's version numbers.
    pub(crate) fn versions(
        &self,
        subject: &str,
        include_deleted: bool,
        deleted_only: bool,
    ) -> Result<Vec<i32>, RegistryError> {
        let state = self.state();
        let versions: Vec<i32> = if deleted_only {
            let live = state.versions(subject, false);
            state
                .versions(subject, true)
                .into_iter()
                .filter(|v| !live.contains(v))
                .collect()
        } else {
            state.versions(subject, include_deleted)
        };
        if versions.is_empty() {
            return Err(RegistryError::SubjectNotFound(subject.to_owned()));
        }
        Ok(versions)
    }

    /// One version of a subject.
    pub(crate) fn version(
        &self,
        subject: &str,
        spec: VersionSpec,
        include_deleted: bool,
    ) -> Result<SubjectVersion, RegistryError> {
        let state = self.state();
        let version = resolve(&state, subject, spec, include_deleted)?;
        let entry = state
            .version(subject, version)
            .ok_or_else(|| RegistryError::VersionNotFound(version.to_string()))?;
        subject_version(&state, subject, version, entry.id)
    }

    /// Soft-deletes every live version of `subject` (and its compatibility setting), or,
    /// with `permanent`, removes a subject that was soft-deleted first. Returns the
    /// versions deleted.
    pub(crate) async fn delete_subject(
        &self,
        subject: &str,
        permanent: bool,
    ) -> Result<Vec<i32>, RegistryError> {
        let _writer = self.writes.lock().await;
        let (records, versions) = {
            let state = self.state();
            if !state.has_subject(subject, true) {
                return Err(RegistryError::SubjectNotFound(subject.to_owned()));
            }
            let live = state.versions(subject, false);
            if permanent {
                if !live.is_empty() {
                    return Err(RegistryError::SubjectNotSoftDeleted(subject.to_owned()));
                }
                let all = state.versions(subject, true);
                let records = all
                    .iter()
                    .map(|version| Record::Schema {
                        subject: subject.to_owned(),
                        version: *version,
                        value: None,
                    })
                    .collect::<Vec<_>>();
                (records, all)
            } else {
                let Some(latest) = live.last().copied() else {
                    return Err(RegistryError::SubjectSoftDeleted(subject.to_owned()));
                };
                let mut records = vec![Record::DeleteSubject {
                    subject: subject.to_owned(),
                    version: latest,
                }];
                if state.subject_level(subject).is_some() {
                    records.push(Record::Config {
                        subject: Some(subject.to_owned()),
                        level: None,
                    });
                }
                (records, live)
            }
        };
        self.commit(&records).await?;
        tracing::info!(subject, permanent, ?versions, "Subject deleted.");
        Ok(versions)
    }

    /// Soft-deletes one version, or with `permanent` removes a soft-deleted one.
    pub(crate) async fn delete_version(
        &self,
        subject: &str,
        spec: VersionSpec,
        permanent: bool,
    ) -> Result<i32, RegistryError> {
        let _writer = self.writes.lock().await;
        let (records, version) = {
            let state = self.state();
            if !state.has_subject(subject, true) {
                return Err(RegistryError::SubjectNotFound(subject.to_owned()));
            }
            // A number may name a soft-deleted version (to report it as such); `latest`
            // means the newest live one, or the newest at all for a permanent delete.
            let version = match spec {
                VersionSpec::Number(n) => n,
                VersionSpec::Latest => resolve(&state, subject, spec, permanent)?,
            };
            let entry = state
                .version(subject, version)
                .ok_or_else(|| RegistryError::VersionNotFound(version.to_string()))?;
            let stored = state
                .schema(entry.id)
                .ok_or(RegistryError::SchemaIdNotFound(entry.id))?;
            match (permanent, entry.deleted) {
                (false, true) => {
                    return Err(RegistryError::VersionSoftDeleted {
                        subject: subject.to_owned(),
                        version,
                    });
                }
                (true, false) => {
                    return Err(RegistryError::VersionNotSoftDeleted {
                        subject: subject.to_owned(),
                        version,
                    });
                }
                _ => {}
            }
            let value = (!permanent).then(|| SchemaValue {
                subject: subject.to_owned(),
                version,
                id: entry.id,
                schema_type: stored.schema_type.clone(),
                references: stored.references.clone(),
                schema: stored.text.to_string(),
                deleted: true,
            });
            let mut records = vec![Record::Schema {
                subject: subject.to_owned(),
                version,
                value,
            }];
            // The last live version gone: the subject's setting goes with it (Confluent).
            let last_live = state.versions(subject, false) == [version];
            if !permanent && last_live && state.subject_level(subject).is_some() {
                records.push(Record::Config {
                    subject: Some(subject.to_owned()),
                    level: None,
                });
            }
            (records, version)
        };
        self.commit(&records).await?;
        tracing::info!(subject, version, permanent, "Version deleted.");
        Ok(version)
    }

    /// The global compatibility level.
    pub(crate) fn global_level(&self) -> CompatibilityLevel {
        self.state().global_level()
    }

    /// Sets the global level (`None` resets it to the default) and returns the level
    /// in force before.
    pub(crate) async fn set_global_level(
        &self,
        level: Option<CompatibilityLevel>,
    ) -> Result<CompatibilityLevel, RegistryError> {
        let _writer = self.writes.lock().await;
        let previous = self.state().global_level();
        self.commit(&[Record::Config {
            subject: None,
            level,
        }])
        .await?;
        Ok(previous)
    }

    /// The subject's own level, or the global one with `default_to_global`.
    pub(crate) fn subject_level(
        &self,
        subject: &str,
        default_to_global: bool,
    ) -> Result<CompatibilityLevel, RegistryError> {
        let state = self.state();
        match state.subject_level(subject) {
            Some(level) => Ok(level),
            None if default_to_global => Ok(state.global_level()),
            None => Err(RegistryError::SubjectConfigNotFound(subject.to_owned())),
        }
    }

    /// Sets a subject's level (the subject need not exist yet).
    pub(crate) async fn set_subject_level(
        &self,
        subject: &str,
        level: CompatibilityLevel,
    ) -> Result<(), RegistryError> {
        let _writer = self.writes.lock().await;
        self.commit(&[Record::Config {
            subject: Some(subject.to_owned()),
            level: Some(level),
        }])
        .await
    }

    /// Removes a subject's level and returns it.
    pub(crate) async fn delete_subject_level(
        &self,
        subject: &str,
    ) -> Result<CompatibilityLevel, RegistryError> {
        let _writer = self.writes.lock().await;
        let previous = self
            .state()
            .subject_level(subject)
            .ok_or_else(|| RegistryError::SubjectNotFound(subject.to_owned()))?;
        self.commit(&[Record::Config {
            subject: Some(subject.to_owned()),
            level: None,
        }])
        .await?;
        Ok(previous)
    }

    /// Tests `schema` against one version, or (`None`, `latest`) against what a
    /// registration would be checked against. Returns the incompatibilities (empty:
    /// compatible).
    pub(crate) fn test_compatibility(
        &self,
        subject: &str,
        spec: Option<VersionSpec>,
        schema: &AvroSchema,
    ) -> Result<Vec<String>, RegistryError> {
        let state = self.state();
        let level = state.effective_level(subject);
        match spec {
            None | Some(VersionSpec::Latest) => Ok(check_level(
                level,
                schema,
                &previous_versions(&state, subject)?,
            )),
            Some(VersionSpec::Number(version)) => {
                if !state.has_subject(subject, false) {
                    return Err(RegistryError::SubjectNotFound(subject.to_owned()));
                }
                let entry = state
                    .version(subject, version)
                    .filter(|e| !e.deleted)
                    .ok_or_else(|| RegistryError::VersionNotFound(version.to_string()))?;
                let stored = state
                    .schema(entry.id)
                    .ok_or(RegistryError::SchemaIdNotFound(entry.id))?;
                Ok(check_level(
                    level,
                    schema,
                    &[PreviousVersion {
                        version,
                        schema: &stored.text,
                    }],
                ))
            }
        }
    }
}

/// The live versions of `subject`, newest first, with their schema texts.
fn previous_versions<'s>(
    state: &'s State,
    subject: &str,
) -> Result<Vec<PreviousVersion<'s>>, RegistryError> {
    let mut previous = Vec::new();
    for version in state.versions(subject, false).into_iter().rev() {
        let entry = state
            .version(subject, version)
            .ok_or_else(|| RegistryError::VersionNotFound(version.to_string()))?;
        let stored = state
            .schema(entry.id)
            .ok_or(RegistryError::SchemaIdNotFound(entry.id))?;
        previous.push(PreviousVersion {
            version,
            schema: &stored.text,
        });
    }
    Ok(previous)
}

/// The version number a spec names, with Confluent's errors for what does not exist.
fn resolve(
    state: &State,
    subject: &str,
    spec: VersionSpec,
    include_deleted: bool,
) -> Result<i32, RegistryError> {
    let versions = state.versions(subject, include_deleted);
    if versions.is_empty() {
        return Err(RegistryError::SubjectNotFound(subject.to_owned()));
    }
    match spec {
        VersionSpec::Latest => versions
            .last()
            .copied()
            .ok_or_else(|| RegistryError::SubjectNotFound(subject.to_owned())),
        VersionSpec::Number(n) if versions.contains(&n) => Ok(n),
        VersionSpec::Number(n) => Err(RegistryError::VersionNotFound(n.to_string())),
    }
}

fn subject_version(
    state: &State,
    subject: &str,
    version: i32,
    id: i32,
) -> Result<SubjectVersion, RegistryError> {
    let stored = state
        .schema(id)
        .ok_or(RegistryError::SchemaIdNotFound(id))?;
    Ok(SubjectVersion {
        subject: subject.to_owned(),
        version,
        id,
        schema_type: stored.schema_type.clone(),
        references: stored.references.clone(),
        schema: stored.text.to_string(),
    })
}

/// A registry shared by the HTTP handlers.
pub(crate) type SharedRegistry = Arc<Registry>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_like_confluent() {
        assert_eq!(VersionSpec::parse("latest").ok(), Some(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse("-1").ok(), Some(VersionSpec::Latest));
        assert_eq!(VersionSpec::parse("3").ok(), Some(VersionSpec::Number(3)));
        for bad in ["0", "-2", "x", "2147483648"] {
            assert!(
                matches!(
                    VersionSpec::parse(bad),
                    Err(RegistryError::InvalidVersion(_))
                ),
                "{bad}"
            );
        }
    }
}
