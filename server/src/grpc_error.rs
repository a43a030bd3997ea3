//! The one mapping from runtime errors to gRPC statuses.
//!
//! Clients branch on the status code, so every kind of failure maps to the same code in
//! every RPC: NOT_FOUND, ALREADY_EXISTS, INVALID_ARGUMENT (with a `google.rpc.BadRequest`
//! detail naming each invalid config key), FAILED_PRECONDITION, UNAVAILABLE, INTERNAL.

use connect_runtime::RuntimeError;
use tonic::{Code, Status};
use tonic_types::{ErrorDetails, FieldViolation, StatusExt};

/// The gRPC status for a runtime error.
pub(crate) fn to_status(error: RuntimeError) -> Status {
    let message = error.to_string();
    match error {
        RuntimeError::ConnectorNotFound(_)
        | RuntimeError::TaskNotFound { .. }
        | RuntimeError::PluginNotFound(_) => Status::not_found(message),
        RuntimeError::ConnectorExists(_) => Status::already_exists(message),
        RuntimeError::InvalidConfig { violations, .. } => {
            let details = ErrorDetails::with_bad_request(
                violations
                    .into_iter()
                    .map(|v| FieldViolation::new(v.field, v.description))
                    .collect::<Vec<_>>(),
            );
            Status::with_error_details(Code::InvalidArgument, message, details)
        }
        RuntimeError::InvalidRequest(_) => Status::invalid_argument(message),
        RuntimeError::FailedPrecondition(_) => Status::failed_precondition(message),
        RuntimeError::Unavailable(_) | RuntimeError::Kafka { .. } => Status::unavailable(message),
        RuntimeError::Connect(e) if e.is_retriable() => Status::unavailable(message),
        RuntimeError::Connect(connect_core::ConnectError::Config { .. }) => {
            Status::invalid_argument(message)
        }
        RuntimeError::Connect(_) | RuntimeError::Storage { .. } | RuntimeError::Internal(_) => {
            Status::internal(message)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_runtime::FieldViolation as Violation;

    #[test]
    fn invalid_configs_carry_one_field_violation_per_key() {
        let status = to_status(RuntimeError::invalid_config(vec![
            Violation {
                field: "tasks.max".into(),
                description: "Value must be at least 1".into(),
            },
            Violation {
                field: "topic".into(),
                description: "Missing required configuration".into(),
            },
        ]));
        assert_eq!(status.code(), Code::InvalidArgument);
        let details = status.get_error_details();
        let fields: Vec<_> = details
            .bad_request()
            .unwrap()
            .field_violations
            .iter()
            .map(|v| v.field.clone())
            .collect();
        assert_eq!(fields, ["tasks.max", "topic"]);
    }

    #[test]
    fn kinds_map_to_their_codes() {
        assert_eq!(
            to_status(RuntimeError::ConnectorNotFound("x".into())).code(),
            Code::NotFound
        );
        assert_eq!(
            to_status(RuntimeError::ConnectorExists("x".into())).code(),
            Code::AlreadyExists
        );
        assert_eq!(
            to_status(RuntimeError::FailedPrecondition("x".into())).code(),
            Code::FailedPrecondition
        );
        assert_eq!(
            to_status(RuntimeError::Unavailable("x".into())).code(),
            Code::Unavailable
        );
        assert_eq!(
            to_status(RuntimeError::Internal("x".into())).code(),
            Code::Internal
        );
    }
}
