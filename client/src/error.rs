//! The client's error type, and the `google.rpc.BadRequest` detail it decodes.
//!
//! The `connect.v1` contract reports every failure as a gRPC status code (see the service
//! comment in `connect_service.proto`), and invalid connector configs additionally as one
//! `google.rpc.BadRequest` field violation per invalid key. [`ClientError`] keeps both, so
//! a program can branch on the code and a user can be shown exactly which keys are wrong.

use std::fmt;

use prost::Message;
use tonic::Code;

/// The fully qualified protobuf name of [`BadRequest`], as it appears (after the
/// `type.googleapis.com/` prefix) in the `type_url` of a `google.protobuf.Any` detail.
pub const BAD_REQUEST_TYPE_NAME: &str = "google.rpc.BadRequest";

/// `google.rpc.BadRequest`: the standard error detail describing which fields of a request
/// are invalid.
///
/// Defined here (same field numbers as `google/rpc/error_details.proto`) rather than
/// pulled in from a crate, because the client needs only these two small messages.
#[derive(Clone, PartialEq, Message)]
pub struct BadRequest {
    /// One entry per invalid field; for connector configs, one per invalid config key.
    #[prost(message, repeated, tag = "1")]
    pub field_violations: Vec<FieldViolation>,
}

/// `google.rpc.BadRequest.FieldViolation`: one invalid field and why.
#[derive(Clone, PartialEq, Eq, Hash, Message)]
pub struct FieldViolation {
    /// The invalid field. For connector configs, the config key, e.g. `tasks.max`.
    #[prost(string, tag = "1")]
    pub field: String,
    /// Why it is invalid, e.g. `Invalid value 0 for configuration tasks.max: ...`.
    #[prost(string, tag = "2")]
    pub description: String,
}

/// `google.rpc.Status`, the envelope gRPC servers put in the `grpc-status-details-bin`
/// trailer; its `details` carry messages such as [`BadRequest`].
#[derive(Clone, PartialEq, Message)]
struct RpcStatus {
    /// The gRPC status code.
    #[prost(int32, tag = "1")]
    code: i32,
    /// The status message.
    #[prost(string, tag = "2")]
    message: String,
    /// Typed error details.
    #[prost(message, repeated, tag = "3")]
    details: Vec<prost_types::Any>,
}

/// Builds the `grpc-status-details-bin` payload (an encoded `google.rpc.Status`) carrying
/// one [`BadRequest`] with `violations`, ready for [`tonic::Status::with_details`].
///
/// Public so that servers and test doubles produce exactly the bytes
/// [`ClientError::field_violations`] decodes, without a crate for Google's error types.
pub fn bad_request_details(code: Code, message: &str, violations: &[FieldViolation]) -> Vec<u8> {
    let bad_request = BadRequest {
        field_violations: violations.to_vec(),
    };
    RpcStatus {
        code: code as i32,
        message: message.to_owned(),
        details: vec![prost_types::Any {
            type_url: format!("type.googleapis.com/{BAD_REQUEST_TYPE_NAME}"),
            value: bad_request.encode_to_vec(),
        }],
    }
    .encode_to_vec()
}

/// The field violations of every `google.rpc.BadRequest` detail in a status's details.
///
/// Details that are absent, undecodable or of another type are skipped: they are optional
/// extras, and the status code and message still say what happened.
fn decode_field_violations(details: &[u8]) -> Vec<FieldViolation> {
    if details.is_empty() {
        return Vec::new();
    }
    let Ok(status) = RpcStatus::decode(details) else {
        return Vec::new();
    };
    status
        .details
        .iter()
        .filter(|any| {
            any.type_url
                .rsplit('/')
                .next()
                .is_some_and(|name| name == BAD_REQUEST_TYPE_NAME)
        })
        .filter_map(|any| BadRequest::decode(any.value.as_slice()).ok())
        .flat_map(|bad_request| bad_request.field_violations)
        .collect()
}

/// Why a [`ConnectClient`](crate::ConnectClient) call failed.
///
/// Callers decide what to do by [`ClientError::code`] (the contract documents which codes
/// each RPC returns); [`ClientError::field_violations`] lists the invalid config keys of an
/// `INVALID_ARGUMENT`.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The server address cannot be a gRPC endpoint (bad syntax, or a scheme this client
    /// does not speak).
    #[error("invalid server address {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The address as given.
        endpoint: String,
        /// What is wrong with it.
        reason: String,
    },

    /// No connection could be made to the server (refused, unreachable, timed out).
    #[error("cannot connect to {endpoint}: {}", error_chain(source))]
    Connect {
        /// The endpoint URI that was tried.
        endpoint: String,
        /// The transport's reason.
        #[source]
        source: tonic::transport::Error,
    },

    /// The server (or the transport, for a connection lost mid-call) answered with a gRPC
    /// error status.
    #[error("{}", status_line(*code, message))]
    Status {
        /// The gRPC status code, e.g. `NotFound`.
        code: Code,
        /// The server's message.
        message: String,
        /// The field violations of a `google.rpc.BadRequest` detail, if the server sent one.
        field_violations: Vec<FieldViolation>,
    },

    /// The server answered successfully but broke the contract (e.g. a stream message
    /// without its event), so the answer cannot be used.
    #[error("the server sent an invalid response: {0}")]
    Protocol(String),
}

impl ClientError {
    /// The gRPC code that best describes the failure: the server's code for
    /// [`ClientError::Status`], `UNAVAILABLE` when no connection could be made,
    /// `INVALID_ARGUMENT` for a bad address and `INTERNAL` for a broken response.
    pub fn code(&self) -> Code {
        match self {
            Self::InvalidEndpoint { .. } => Code::InvalidArgument,
            Self::Connect { .. } => Code::Unavailable,
            Self::Status { code, .. } => *code,
            Self::Protocol(_) => Code::Internal,
        }
    }

    /// The invalid fields the server reported (`google.rpc.BadRequest`), empty when none.
    ///
    /// For `CreateConnector`, `UpdateConnector` and `ValidateConnectorConfig`, `field` is
    /// the config key.
    pub fn field_violations(&self) -> &[FieldViolation] {
        match self {
            Self::Status {
                field_violations, ..
            } => field_violations,
            _ => &[],
        }
    }
}

impl From<tonic::Status> for ClientError {
    fn from(status: tonic::Status) -> Self {
        Self::Status {
            code: status.code(),
            message: status.message().to_owned(),
            field_violations: decode_field_violations(status.details()),
        }
    }
}

/// The canonical upper-case name of a gRPC code (`NOT_FOUND`), as the gRPC specification
/// and the `connect.v1` contract spell it.
pub fn code_name(code: Code) -> &'static str {
    match code {
        Code::Ok => "OK",
        Code::Cancelled => "CANCELLED",
        Code::Unknown => "UNKNOWN",
        Code::InvalidArgument => "INVALID_ARGUMENT",
        Code::DeadlineExceeded => "DEADLINE_EXCEEDED",
        Code::NotFound => "NOT_FOUND",
        Code::AlreadyExists => "ALREADY_EXISTS",
        Code::PermissionDenied => "PERMISSION_DENIED",
        Code::ResourceExhausted => "RESOURCE_EXHAUSTED",
        Code::FailedPrecondition => "FAILED_PRECONDITION",
        Code::Aborted => "ABORTED",
        Code::OutOfRange => "OUT_OF_RANGE",
        Code::Unimplemented => "UNIMPLEMENTED",
        Code::Internal => "INTERNAL",
        Code::Unavailable => "UNAVAILABLE",
        Code::DataLoss => "DATA_LOSS",
        Code::Unauthenticated => "UNAUTHENTICATED",
    }
}

/// `NOT_FOUND: connector "x" not found`, or just the code name when the message is empty.
fn status_line(code: Code, message: &str) -> String {
    if message.is_empty() {
        code_name(code).to_owned()
    } else {
        format!("{}: {message}", code_name(code))
    }
}

/// An error and its causes on one line: transport errors say little at the top ("transport
/// error") and the useful part ("Connection refused") only further down the chain.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

impl fmt::Display for FieldViolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.description)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn violation(field: &str, description: &str) -> FieldViolation {
        FieldViolation {
            field: field.to_owned(),
            description: description.to_owned(),
        }
    }

    #[test]
    fn a_status_keeps_code_message_and_field_violations() {
        let violations = vec![
            violation("tasks.max", "must be >= 1"),
            violation("file", "x"),
        ];
        let details = bad_request_details(Code::InvalidArgument, "bad config", &violations);
        let status =
            tonic::Status::with_details(Code::InvalidArgument, "bad config", details.into());
        let error = ClientError::from(status);
        assert_eq!(error.code(), Code::InvalidArgument);
        assert_eq!(error.field_violations(), violations.as_slice());
        assert_eq!(error.to_string(), "INVALID_ARGUMENT: bad config");
    }

    #[test]
    fn a_status_without_details_has_no_field_violations() {
        let error = ClientError::from(tonic::Status::not_found("connector \"x\" not found"));
        assert_eq!(error.code(), Code::NotFound);
        assert!(error.field_violations().is_empty());
        assert_eq!(error.to_string(), "NOT_FOUND: connector \"x\" not found");
    }

    #[test]
    fn details_of_other_types_or_garbage_are_ignored() {
        let other = RpcStatus {
            code: 3,
            message: String::new(),
            details: vec![prost_types::Any {
                type_url: "type.googleapis.com/google.rpc.ErrorInfo".to_owned(),
                value: vec![1, 2, 3],
            }],
        }
        .encode_to_vec();
        assert!(decode_field_violations(&other).is_empty());
        assert!(decode_field_violations(&[0xff, 0xff, 0xff]).is_empty());
    }

    #[test]
    fn an_empty_message_shows_the_code_alone() {
        let error = ClientError::from(tonic::Status::new(Code::Aborted, ""));
        assert_eq!(error.to_string(), "ABORTED");
    }

    #[test]
    fn codes_without_a_status_map_to_what_they_mean() {
        let error = ClientError::Protocol("x".to_owned());
        assert_eq!(error.code(), Code::Internal);
        let error = ClientError::InvalidEndpoint {
            endpoint: "x".to_owned(),
            reason: "y".to_owned(),
        };
        assert_eq!(error.code(), Code::InvalidArgument);
    }

    #[test]
    fn every_code_has_its_canonical_name() {
        assert_eq!(code_name(Code::FailedPrecondition), "FAILED_PRECONDITION");
        assert_eq!(code_name(Code::Unauthenticated), "UNAUTHENTICATED");
        assert_eq!(code_name(Code::DeadlineExceeded), "DEADLINE_EXCEEDED");
    }
}
