//! A client for Confluent's Schema Registry: the four calls the Avro converter makes.
//!
//! The converter depends on the [`SchemaRegistryClient`] trait, not on HTTP, so the same
//! converter runs against a real registry ([`http::HttpSchemaRegistryClient`]: basic or
//! bearer auth, TLS, several URLs with fail-over) or against an in-memory one
//! ([`memory::InMemorySchemaRegistry`], with Confluent's `MockSchemaRegistryClient` id and
//! version rules) in tests, benchmarks and `mock://` URLs. Errors keep the distinction the
//! runtime needs: [`RegistryError::is_retriable`] is true when the registry could not be
//! reached (retry later), false when it answered (the data or configuration is wrong).

pub mod config;
pub mod http;
pub mod memory;

use std::fmt;

use async_trait::async_trait;

/// A schema registered under a subject.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisteredSchema {
    /// The subject.
    pub subject: String,
    /// The global schema id written in every message.
    pub id: i32,
    /// The version of the schema within the subject, from 1.
    pub version: i32,
    /// The schema text as the registry stores it.
    pub schema: String,
}

/// Why a registry call failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegistryError {
    /// The subject, version or schema does not exist (HTTP 404).
    NotFound {
        /// Confluent's error code (40401 subject, 40402 version, 40403 schema).
        code: i32,
        /// The registry's message.
        message: String,
    },
    /// The registry refused the request, e.g. an incompatible (409) or invalid (422) schema.
    Rejected {
        /// HTTP status.
        status: u16,
        /// Confluent's error code.
        code: i32,
        /// The registry's message.
        message: String,
    },
    /// The credentials were missing or refused (HTTP 401/403): a configuration problem.
    Unauthorized {
        /// HTTP status.
        status: u16,
        /// The registry's message.
        message: String,
    },
    /// No registry could be reached, or it failed internally (5xx, 408, 429): worth a retry.
    Unavailable {
        /// What happened.
        message: String,
    },
}

impl RegistryError {
    /// Whether the same call may succeed later without any change.
    pub fn is_retriable(&self) -> bool {
        matches!(self, RegistryError::Unavailable { .. })
    }

    /// The "schema not found" error of a registry, as Confluent words it.
    pub fn schema_not_found() -> Self {
        RegistryError::NotFound {
            code: 40403,
            message: "Schema not found".to_string(),
        }
    }

    /// The "subject not found" error of a registry, as Confluent words it.
    pub fn subject_not_found(subject: &str) -> Self {
        RegistryError::NotFound {
            code: 40401,
            message: format!("Subject '{subject}' not found."),
        }
    }
}

impl fmt::Display for RegistryError {
    /// Confluent's `RestClientException` text: `<message>; error code: <code>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RegistryError::NotFound { code, message }
            | RegistryError::Rejected { code, message, .. } => {
                write!(f, "{message}; error code: {code}")
            }
            RegistryError::Unauthorized { status, message } => {
                write!(f, "{message}; error code: {status}")
            }
            RegistryError::Unavailable { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for RegistryError {}

/// The registry calls the Avro converter needs. Implementations cache nothing: the
/// converter caches per Connect schema and per id, so it calls the registry once per new
/// schema, not per record.
#[async_trait]
pub trait SchemaRegistryClient: Send + Sync + fmt::Debug {
    /// Registers `schema` under `subject` (or finds it already there) and returns its id.
    async fn register(&self, subject: &str, schema: &str) -> Result<i32, RegistryError>;

    /// Finds `schema` among the versions of `subject` (id and version).
    async fn lookup(&self, subject: &str, schema: &str) -> Result<RegisteredSchema, RegistryError>;

    /// The schema text with this id.
    async fn schema_by_id(&self, id: i32) -> Result<String, RegistryError>;

    /// The latest version of `subject`.
    async fn latest(&self, subject: &str) -> Result<RegisteredSchema, RegistryError>;
}
