//! The HTTP details shared by every endpoint: the response content type, request bodies
//! and query flags as Confluent's clients send them.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::RegistryError;

/// The media type of every response, Confluent's v1 type. Clients also accept it when
/// they asked for `application/json`.
pub const CONTENT_TYPE: &str = "application/vnd.schemaregistry.v1+json";

/// A JSON response with the registry's content type.
pub(crate) fn json_response(status: StatusCode, body: &impl Serialize) -> Response {
    match serde_json::to_vec(body) {
        Ok(bytes) => raw_json_response(status, bytes),
        Err(err) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot encode the response: {err}"),
        )
            .into_response(),
    }
}

/// A response whose body is already JSON (a stored schema text).
pub(crate) fn raw_json_response(status: StatusCode, body: impl Into<axum::body::Body>) -> Response {
    (status, [(header::CONTENT_TYPE, CONTENT_TYPE)], body.into()).into_response()
}

/// Decodes a JSON request body whatever its declared content type: Confluent accepts its
/// own types, `application/json` and `application/octet-stream` alike.
pub(crate) fn json_body<T: DeserializeOwned>(body: &Bytes) -> Result<T, RegistryError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(RegistryError::BadRequest(
            "The request body must be a JSON object".into(),
        ));
    }
    serde_json::from_slice(body)
        .map_err(|err| RegistryError::BadRequest(format!("Invalid request body: {err}")))
}

/// Query parameters, as sent.
pub(crate) type QueryParams = HashMap<String, String>;

/// A boolean query flag. Case-insensitive, like Java's `Boolean.parseBoolean`: Python's
/// client sends `normalize=False`.
pub(crate) fn flag(query: &QueryParams, name: &str) -> bool {
    query
        .get(name)
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// Applies Confluent's `offset`/`limit` paging (`limit` < 0: everything).
pub(crate) fn page<T>(items: Vec<T>, query: &QueryParams) -> Vec<T> {
    let number = |name: &str| query.get(name).and_then(|v| v.trim().parse::<i64>().ok());
    let offset = usize::try_from(number("offset").unwrap_or(0)).unwrap_or(0);
    let limit = number("limit")
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(usize::MAX);
    items.into_iter().skip(offset).take(limit).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_and_paging_read_what_clients_send() {
        let query: QueryParams = [
            ("normalize".to_string(), "False".to_string()),
            ("deleted".to_string(), "True".to_string()),
            ("offset".to_string(), "1".to_string()),
            ("limit".to_string(), "-1".to_string()),
        ]
        .into();
        assert!(!flag(&query, "normalize"));
        assert!(flag(&query, "deleted"));
        assert!(!flag(&query, "missing"));
        assert_eq!(page(vec![1, 2, 3], &query), [2, 3]);
    }
}
