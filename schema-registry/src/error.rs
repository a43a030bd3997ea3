//! Every way the registry can fail, and the one place that turns a failure into
//! Confluent's JSON error body.
//!
//! Clients branch on `error_code` (the Python and Java clients raise it to their callers,
//! serializers retry on 5xxxx), so the codes and HTTP statuses follow Confluent's
//! `Errors` class; the messages keep Confluent's wording where clients or people are
//! likely to match on it ("Subject 'x' not found.").

use std::net::SocketAddr;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::http::json_response;

/// Why a request or the registry itself failed.
///
/// Request errors carry what the caller needs to fix the request; startup errors name
/// what was being done, so the single log line before exiting is enough to act on.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// No live version under this subject (40401).
    #[error("Subject '{0}' not found.")]
    SubjectNotFound(String),

    /// The subject exists but not this version (40402).
    #[error("Version {0} not found.")]
    VersionNotFound(String),

    /// No schema has this id (40403).
    #[error("Schema {0} not found")]
    SchemaIdNotFound(i32),

    /// The posted schema is not registered under the subject (40403).
    #[error("Schema not found")]
    SchemaNotFound,

    /// Soft-deleting a subject whose versions are all soft-deleted already (40404).
    #[error("Subject '{0}' was soft deleted.Set permanent=true to delete permanently")]
    SubjectSoftDeleted(String),

    /// A permanent delete of a subject that still has live versions (40405).
    #[error("Subject '{0}' was not deleted first before being permanently deleted")]
    SubjectNotSoftDeleted(String),

    /// Soft-deleting a version that is soft-deleted already (40406).
    #[error(
        "Subject '{subject}' Version {version} was soft deleted.Set permanent=true to delete permanently"
    )]
    VersionSoftDeleted {
        /// The subject.
        subject: String,
        /// The version.
        version: i32,
    },

    /// A permanent delete of a version that was not soft-deleted first (40407).
    #[error(
        "Subject '{subject}' Version {version} was not deleted first before being permanently deleted"
    )]
    VersionNotSoftDeleted {
        /// The subject.
        subject: String,
        /// The version.
        version: i32,
    },

    /// `GET /config/{subject}` without a subject-level setting (40408).
    #[error("Subject '{0}' does not have subject-level compatibility configured")]
    SubjectConfigNotFound(String),

    /// The schema breaks the subject's compatibility rule (HTTP 409, error code 409).
    #[error(
        "Schema being registered is incompatible with an earlier schema for subject \"{subject}\", details: [{}]",
        messages.join(", ")
    )]
    Incompatible {
        /// The subject registered under.
        subject: String,
        /// One line per incompatibility and per compared version, Confluent's format.
        messages: Vec<String>,
    },

    /// Not a valid Avro schema, or a feature this registry does not have (42201).
    #[error("{0}")]
    InvalidSchema(String),

    /// A version path segment that is neither a positive int nor `latest` (42202).
    #[error(
        "The specified version '{0}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\""
    )]
    InvalidVersion(String),

    /// An unknown compatibility level in a config update (42203).
    #[error(
        "Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive"
    )]
    InvalidCompatibilityLevel,

    /// A request this registry refuses on purpose, e.g. choosing ids (42205).
    #[error("{0}")]
    OperationNotPermitted(String),

    /// The request body is not the JSON the endpoint expects (HTTP 400).
    #[error("{0}")]
    BadRequest(String),

    /// No such endpoint (HTTP 404, error code 404).
    #[error("HTTP 404 Not Found")]
    NoSuchEndpoint,

    /// The endpoint exists, not with this method (HTTP 405, error code 405).
    #[error("HTTP 405 Method Not Allowed")]
    MethodNotAllowed,

    /// Kafka refused or did not acknowledge a read or write of the topic (50001).
    #[error("Error in the backend data store: {context}: {source}")]
    Store {
        /// What the registry was doing.
        context: String,
        /// librdkafka's reason.
        #[source]
        source: rdkafka::error::KafkaError,
    },

    /// The topic holds something the registry cannot use, or reading it did not finish
    /// in time (50002 when it is about time, else 50001).
    #[error("Error in the backend data store: {0}")]
    StoreState(String),

    /// The topic has not been read to its end yet, so answers could be stale (50002).
    #[error(
        "The schema registry is not ready: it is still reading topic '{topic}' from Kafka ({detail})"
    )]
    NotReady {
        /// The `_schemas` topic.
        topic: String,
        /// The last problem reaching Kafka, or that reading is in progress.
        detail: String,
    },

    /// The HTTP listen address could not be bound (startup only).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },

    /// The HTTP server failed while serving (startup or shutdown only).
    #[error("HTTP server failed: {0}")]
    Serve(#[source] std::io::Error),
}

impl RegistryError {
    /// The HTTP status and Confluent `error_code` of this error.
    pub fn codes(&self) -> (StatusCode, u32) {
        use RegistryError::*;
        match self {
            SubjectNotFound(_) => (StatusCode::NOT_FOUND, 40401),
            VersionNotFound(_) => (StatusCode::NOT_FOUND, 40402),
            SchemaIdNotFound(_) | SchemaNotFound => (StatusCode::NOT_FOUND, 40403),
            SubjectSoftDeleted(_) => (StatusCode::NOT_FOUND, 40404),
            SubjectNotSoftDeleted(_) => (StatusCode::NOT_FOUND, 40405),
            VersionSoftDeleted { .. } => (StatusCode::NOT_FOUND, 40406),
            VersionNotSoftDeleted { .. } => (StatusCode::NOT_FOUND, 40407),
            SubjectConfigNotFound(_) => (StatusCode::NOT_FOUND, 40408),
            Incompatible { .. } => (StatusCode::CONFLICT, 409),
            InvalidSchema(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42201),
            InvalidVersion(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42202),
            InvalidCompatibilityLevel => (StatusCode::UNPROCESSABLE_ENTITY, 42203),
            OperationNotPermitted(_) => (StatusCode::UNPROCESSABLE_ENTITY, 42205),
            BadRequest(_) => (StatusCode::BAD_REQUEST, 400),
            NoSuchEndpoint => (StatusCode::NOT_FOUND, 404),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, 405),
            NotReady { .. } => (StatusCode::INTERNAL_SERVER_ERROR, 50002),
            Store { .. } | StoreState(_) | Bind { .. } | Serve(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, 50001)
            }
        }
    }

    /// Wraps a Kafka client error with what the registry was doing.
    pub(crate) fn store(context: impl Into<String>, source: rdkafka::error::KafkaError) -> Self {
        RegistryError::Store {
            context: context.into(),
            source,
        }
    }
}

impl IntoResponse for RegistryError {
    fn into_response(self) -> Response {
        let (status, error_code) = self.codes();
        if status.is_server_error() {
            tracing::warn!(error_code, error = %self, "Request failed.");
        }
        let body = serde_json::json!({ "error_code": error_code, "message": self.to_string() });
        json_response(status, &body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_codes_follow_confluent() {
        let err = RegistryError::SubjectNotFound("orders-value".into());
        assert_eq!(err.to_string(), "Subject 'orders-value' not found.");
        assert_eq!(err.codes(), (StatusCode::NOT_FOUND, 40401));
        let err = RegistryError::Incompatible {
            subject: "s".into(),
            messages: vec!["a".into(), "b".into()],
        };
        assert_eq!(
            err.to_string(),
            "Schema being registered is incompatible with an earlier schema for subject \"s\", details: [a, b]"
        );
        assert_eq!(err.codes(), (StatusCode::CONFLICT, 409));
        assert_eq!(
            RegistryError::InvalidVersion("0".into()).codes().1,
            42202,
            "invalid version"
        );
    }
}
