//! What can go wrong in a `connectctl` run, the exit code of each, and how it is reported.
//!
//! The codes are a contract with scripts (listed in `--help` and `client/README.md`):
//! they let a script tell "no such connector" from "server down" without parsing text.

use std::io::Write;

use connect_client::ClientError;
use tonic::Code;

/// The command succeeded.
pub(crate) const SUCCESS: u8 = 0;
/// Something unexpected, e.g. stdout could not be written.
pub(crate) const UNEXPECTED: u8 = 1;
/// Bad command line or input files (clap uses 2 for its own usage errors too).
pub(crate) const USAGE: u8 = 2;
/// `NOT_FOUND`.
pub(crate) const NOT_FOUND: u8 = 3;
/// `INVALID_ARGUMENT`, and `validate` finding errors.
pub(crate) const INVALID_ARGUMENT: u8 = 4;
/// `ALREADY_EXISTS`.
pub(crate) const ALREADY_EXISTS: u8 = 5;
/// `FAILED_PRECONDITION`.
pub(crate) const FAILED_PRECONDITION: u8 = 6;
/// `UNAVAILABLE`, including failing to connect at all.
pub(crate) const UNAVAILABLE: u8 = 7;
/// Any other gRPC status.
pub(crate) const OTHER_GRPC: u8 = 8;

/// Why a `connectctl` command failed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// The server (or the connection to it) failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The command line or a file it names is wrong in a way clap cannot see (an
    /// unreadable config file, a missing connector name).
    #[error("{0}")]
    Usage(String),
    /// `validate` ran fine and found errors in the config.
    #[error("the config has {0} error{s}", s = if *.0 == 1 { "" } else { "s" })]
    InvalidConfig(i32),
    /// Writing the result failed.
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl CliError {
    /// The exit code scripts see for this error.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            Self::Client(ClientError::InvalidEndpoint { .. }) | Self::Usage(_) => USAGE,
            Self::Client(ClientError::Protocol(_)) | Self::Output(_) => UNEXPECTED,
            Self::Client(error) => grpc_exit_code(error.code()),
            Self::InvalidConfig(_) => INVALID_ARGUMENT,
        }
    }

    /// True when stdout was closed by its reader (`connectctl watch | head`): not worth a
    /// message, the reader got what it wanted.
    pub(crate) fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Output(e) if e.kind() == std::io::ErrorKind::BrokenPipe)
    }

    /// Writes `connectctl: <message>`, then one indented line per field violation.
    pub(crate) fn report(&self, err: &mut dyn Write) -> std::io::Result<()> {
        writeln!(err, "connectctl: {self}")?;
        if let Self::Client(client) = self {
            for violation in client.field_violations() {
                writeln!(err, "  {}: {}", violation.field, violation.description)?;
            }
        }
        Ok(())
    }
}

/// The exit code of a gRPC status code.
pub(crate) fn grpc_exit_code(code: Code) -> u8 {
    match code {
        Code::Ok => SUCCESS,
        Code::NotFound => NOT_FOUND,
        Code::InvalidArgument => INVALID_ARGUMENT,
        Code::AlreadyExists => ALREADY_EXISTS,
        Code::FailedPrecondition => FAILED_PRECONDITION,
        Code::Unavailable => UNAVAILABLE,
        _ => OTHER_GRPC,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_client::{FieldViolation, bad_request_details};

    fn status(code: Code) -> CliError {
        CliError::Client(ClientError::from(tonic::Status::new(code, "m")))
    }

    #[test]
    fn grpc_codes_map_to_the_documented_exit_codes() {
        assert_eq!(status(Code::NotFound).exit_code(), 3);
        assert_eq!(status(Code::InvalidArgument).exit_code(), 4);
        assert_eq!(status(Code::AlreadyExists).exit_code(), 5);
        assert_eq!(status(Code::FailedPrecondition).exit_code(), 6);
        assert_eq!(status(Code::Unavailable).exit_code(), 7);
        for other in [
            Code::Internal,
            Code::Aborted,
            Code::Unknown,
            Code::Unimplemented,
            Code::DeadlineExceeded,
            Code::PermissionDenied,
            Code::Unauthenticated,
            Code::Cancelled,
        ] {
            assert_eq!(status(other).exit_code(), 8, "{other:?}");
        }
    }

    #[test]
    fn local_problems_map_to_usage_unexpected_and_validation_codes() {
        assert_eq!(CliError::Usage("x".to_owned()).exit_code(), 2);
        assert_eq!(CliError::InvalidConfig(2).exit_code(), 4);
        assert_eq!(CliError::Output(std::io::Error::other("x")).exit_code(), 1);
        assert_eq!(
            CliError::Client(ClientError::Protocol("x".to_owned())).exit_code(),
            1
        );
        let endpoint = ClientError::InvalidEndpoint {
            endpoint: "x".to_owned(),
            reason: "y".to_owned(),
        };
        assert_eq!(CliError::Client(endpoint).exit_code(), 2);
    }

    #[test]
    fn reports_the_message_then_one_line_per_field_violation() {
        let violations = [
            FieldViolation {
                field: "tasks.max".to_owned(),
                description: "must be >= 1".to_owned(),
            },
            FieldViolation {
                field: "file".to_owned(),
                description: "missing".to_owned(),
            },
        ];
        let details = bad_request_details(Code::InvalidArgument, "invalid config", &violations);
        let error = CliError::Client(ClientError::from(tonic::Status::with_details(
            Code::InvalidArgument,
            "invalid config",
            details.into(),
        )));
        let mut text = Vec::new();
        error.report(&mut text).unwrap();
        assert_eq!(
            String::from_utf8(text).unwrap(),
            "connectctl: INVALID_ARGUMENT: invalid config\n  tasks.max: must be >= 1\n  file: missing\n"
        );
    }

    #[test]
    fn validation_errors_are_counted_in_words() {
        assert_eq!(
            CliError::InvalidConfig(1).to_string(),
            "the config has 1 error"
        );
        assert_eq!(
            CliError::InvalidConfig(3).to_string(),
            "the config has 3 errors"
        );
    }
}
