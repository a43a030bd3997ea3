//! The registry client over HTTP(S), speaking Confluent's REST API with `reqwest` (rustls).
//!
//! Calls: `POST /subjects/{subject}/versions` (register), `POST /subjects/{subject}`
//! (lookup), `GET /schemas/ids/{id}` and `GET /subjects/{subject}/versions/latest`. With
//! several URLs, a URL that cannot be reached (connection refused, DNS, timeout) makes the
//! client try the next one, and the one that answered is tried first next time; an HTTP
//! answer, even an error, is final. Error statuses map to [`RegistryError`] so the converter
//! can tell a missing schema (bad data) from an unreachable registry (retry).

use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use connect_core::{ConnectError, Result};
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use reqwest::{Client, Method, StatusCode, Url};
use serde::Deserialize;

use super::config::{Credentials, RegistryClientConfig};
use super::{RegisteredSchema, RegistryError, SchemaRegistryClient};

const CONTENT_TYPE_V1: &str = "application/vnd.schemaregistry.v1+json";
const ACCEPT_ALL: &str = "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";

/// One registry URL with the credentials to use there.
#[derive(Clone)]
struct Endpoint {
    base: Url,
    basic: Option<(String, String)>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The base URL has its user info removed; the credentials are not printed.
        write!(f, "{}", self.base)
    }
}

/// A registry client over HTTP.
#[derive(Debug)]
pub struct HttpSchemaRegistryClient {
    client: Client,
    endpoints: Vec<Endpoint>,
    bearer: Option<String>,
    /// The endpoint tried first: the last one that answered.
    preferred: AtomicUsize,
}

#[derive(Deserialize)]
struct IdResponse {
    id: i32,
}

#[derive(Deserialize)]
struct SchemaResponse {
    schema: String,
    #[serde(rename = "schemaType")]
    schema_type: Option<String>,
}

#[derive(Deserialize)]
struct SubjectVersionResponse {
    subject: String,
    id: i32,
    version: i32,
    schema: String,
}

#[derive(Deserialize)]
struct ErrorResponse {
    error_code: Option<i32>,
    message: Option<String>,
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

impl HttpSchemaRegistryClient {
    /// A client for the configured URLs; fails on malformed URLs or TLS material.
    pub fn new(config: &RegistryClientConfig) -> Result<Self> {
        let mut endpoints = Vec::with_capacity(config.urls.len());
        for raw in &config.urls {
            let mut base = Url::parse(raw).map_err(|e| {
                ConnectError::invalid_config_value(super::config::URL_CONFIG, raw, e)
            })?;
            let basic = match (&config.credentials, base.username()) {
                (Credentials::FromUrl, user) if !user.is_empty() => Some((
                    percent_decode(user),
                    percent_decode(base.password().unwrap_or_default()),
                )),
                (Credentials::Basic { user, password }, _) => {
                    Some((user.clone(), password.clone()))
                }
                _ => None,
            };
            // Ignoring the results: clearing user info only fails for URLs that cannot
            // carry it, which then have none.
            let _ = base.set_username("");
            let _ = base.set_password(None);
            endpoints.push(Endpoint { base, basic });
        }
        let bearer = match &config.credentials {
            Credentials::Bearer(token) => Some(token.clone()),
            _ => None,
        };
        let mut builder = Client::builder()
            .connect_timeout(config.connect_timeout)
            .timeout(config.request_timeout)
            .danger_accept_invalid_hostnames(!config.tls.verify_hostname);
        if let Some(pem) = &config.tls.trust_pem {
            let certificates = reqwest::Certificate::from_pem_bundle(pem).map_err(|e| {
                ConnectError::config(format!(
                    "Invalid PEM truststore for the schema registry: {e}"
                ))
            })?;
            if certificates.is_empty() {
                return Err(ConnectError::config(
                    "The PEM truststore for the schema registry holds no certificate",
                ));
            }
            builder = builder.tls_built_in_root_certs(false);
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        if let Some(pem) = &config.tls.identity_pem {
            let identity = reqwest::Identity::from_pem(pem).map_err(|e| {
                ConnectError::config(format!("Invalid PEM keystore for the schema registry: {e}"))
            })?;
            builder = builder.identity(identity);
        }
        let client = builder.build().map_err(|e| {
            ConnectError::config(format!("Cannot create the schema registry client: {e}"))
        })?;
        Ok(Self {
            client,
            endpoints,
            bearer,
            preferred: AtomicUsize::new(0),
        })
    }

    /// Sends one request, trying each URL in turn until one answers; returns the status
    /// and body of the first answer.
    async fn send(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> std::result::Result<(StatusCode, Vec<u8>), RegistryError> {
        let start = self.preferred.load(Ordering::Relaxed);
        let mut failures = Vec::new();
        for attempt in 0..self.endpoints.len() {
            let index = (start + attempt) % self.endpoints.len();
            let endpoint = &self.endpoints[index];
            let mut url = endpoint.base.clone();
            let pushed = url
                .path_segments_mut()
                .map(|mut segments| {
                    segments.pop_if_empty().extend(path);
                })
                .is_ok();
            if !pushed {
                failures.push(format!("{url}: not a base URL"));
                continue;
            }
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(query);
            }
            let mut request = self
                .client
                .request(method.clone(), url.clone())
                .header(ACCEPT, HeaderValue::from_static(ACCEPT_ALL));
            if let Some((user, password)) = &endpoint.basic {
                request = request.basic_auth(user, Some(password));
            } else if let Some(token) = &self.bearer {
                request = request.bearer_auth(token);
            }
            if let Some(body) = body {
                request = request
                    .header(CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE_V1))
                    .body(body.to_string());
            }
            match request.send().await {
                Ok(response) => {
                    let status = response.status();
                    match response.bytes().await {
                        Ok(bytes) => {
                            self.preferred.store(index, Ordering::Relaxed);
                            return Ok((status, bytes.to_vec()));
                        }
                        Err(e) => failures.push(format!("{}: {e}", endpoint.base)),
                    }
                }
                Err(e) => {
                    tracing::debug!(url = %endpoint.base, error = %e, "Schema registry URL unreachable.");
                    failures.push(format!("{}: {}", endpoint.base, error_chain(&e)));
                }
            }
        }
        Err(RegistryError::Unavailable {
            message: format!(
                "No schema registry could be reached ({})",
                failures.join("; ")
            ),
        })
    }

    /// Sends a request and parses a successful answer, mapping error answers.
    async fn call<T: for<'de> Deserialize<'de>>(
        &self,
        method: Method,
        path: &[&str],
        query: &[(&str, &str)],
        body: Option<&serde_json::Value>,
    ) -> std::result::Result<T, RegistryError> {
        let (status, bytes) = self.send(method, path, query, body).await?;
        if status.is_success() {
            return serde_json::from_slice(&bytes).map_err(|e| RegistryError::Rejected {
                status: status.as_u16(),
                code: 50001,
                message: format!("Unexpected response from the schema registry: {e}"),
            });
        }
        Err(error_for(status, &bytes))
    }
}

/// The message of an error and of its causes (reqwest's own message is often just
/// "error sending request").
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn error_for(status: StatusCode, body: &[u8]) -> RegistryError {
    let parsed: Option<ErrorResponse> = serde_json::from_slice(body).ok();
    let code = parsed
        .as_ref()
        .and_then(|p| p.error_code)
        .unwrap_or(i32::from(status.as_u16()));
    let message = parsed
        .and_then(|p| p.message)
        .unwrap_or_else(|| String::from_utf8_lossy(body).into_owned());
    match status.as_u16() {
        404 => RegistryError::NotFound { code, message },
        401 | 403 => RegistryError::Unauthorized {
            status: status.as_u16(),
            message,
        },
        408 | 429 | 500..=599 => RegistryError::Unavailable {
            message: format!("Schema registry answered {status}: {message}"),
        },
        other => RegistryError::Rejected {
            status: other,
            code,
            message,
        },
    }
}

#[async_trait]
impl SchemaRegistryClient for HttpSchemaRegistryClient {
    async fn register(
        &self,
        subject: &str,
        schema: &str,
    ) -> std::result::Result<i32, RegistryError> {
        let body = serde_json::json!({ "schema": schema });
        let response: IdResponse = self
            .call(
                Method::POST,
                &["subjects", subject, "versions"],
                &[],
                Some(&body),
            )
            .await?;
        Ok(response.id)
    }

    async fn lookup(
        &self,
        subject: &str,
        schema: &str,
    ) -> std::result::Result<RegisteredSchema, RegistryError> {
        let body = serde_json::json!({ "schema": schema });
        let response: SubjectVersionResponse = self
            .call(
                Method::POST,
                &["subjects", subject],
                &[("deleted", "false")],
                Some(&body),
            )
            .await?;
        Ok(RegisteredSchema {
            subject: response.subject,
            id: response.id,
            version: response.version,
            schema: response.schema,
        })
    }

    async fn schema_by_id(&self, id: i32) -> std::result::Result<String, RegistryError> {
        let id = id.to_string();
        let response: SchemaResponse = self
            .call(Method::GET, &["schemas", "ids", &id], &[], None)
            .await?;
        match response.schema_type.as_deref() {
            None | Some("AVRO") => Ok(response.schema),
            Some(other) => Err(RegistryError::Rejected {
                status: 200,
                code: 42201,
                message: format!("Schema {id} is a {other} schema, not an Avro schema"),
            }),
        }
    }

    async fn latest(&self, subject: &str) -> std::result::Result<RegisteredSchema, RegistryError> {
        let response: SubjectVersionResponse = self
            .call(
                Method::GET,
                &["subjects", subject, "versions", "latest"],
                &[],
                None,
            )
            .await?;
        Ok(RegisteredSchema {
            subject: response.subject,
            id: response.id,
            version: response.version,
            schema: response.schema,
        })
    }
}

#[cfg(test)]
mod tests {
    //! Against a small Confluent-compatible HTTP front of the in-memory registry, so the
    //! real client code (URLs, auth headers, fail-over, error mapping) runs over sockets.

    use std::sync::Arc;

    use axum::Router;
    use axum::body::Bytes;
    use axum::extract::{Path, State};
    use axum::http::{HeaderMap, StatusCode};
    use axum::response::{IntoResponse, Response};
    use axum::routing::{get, post};
    use connect_core::config::properties;

    use super::*;
    use crate::schema_registry::config::{BASIC_AUTH_SOURCE_CONFIG, URL_CONFIG, USER_INFO_CONFIG};
    use crate::schema_registry::memory::InMemorySchemaRegistry;

    #[derive(Clone)]
    struct Server {
        registry: Arc<InMemorySchemaRegistry>,
        /// `Authorization` header every request must carry, if any.
        auth: Option<String>,
    }

    fn reply(result: std::result::Result<serde_json::Value, RegistryError>) -> Response {
        match result {
            Ok(body) => (StatusCode::OK, body.to_string()).into_response(),
            Err(RegistryError::NotFound { code, message }) => (
                StatusCode::NOT_FOUND,
                serde_json::json!({"error_code": code, "message": message}).to_string(),
            )
                .into_response(),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
        }
    }

    fn authorized(server: &Server, headers: &HeaderMap) -> Option<Response> {
        let expected = server.auth.as_deref()?;
        let given = headers.get("authorization").and_then(|v| v.to_str().ok());
        (given != Some(expected)).then(|| {
            (
                StatusCode::UNAUTHORIZED,
                r#"{"error_code":401,"message":"Unauthorized"}"#,
            )
                .into_response()
        })
    }

    fn schema_of(body: &Bytes) -> String {
        serde_json::from_slice::<serde_json::Value>(body)
            .ok()
            .and_then(|v| v.get("schema").and_then(|s| s.as_str()).map(str::to_string))
            .unwrap_or_default()
    }

    async fn register(
        State(server): State<Server>,
        Path(subject): Path<String>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        if let Some(denied) = authorized(&server, &headers) {
            return denied;
        }
        let id = server.registry.register(&subject, &schema_of(&body)).await;
        reply(id.map(|id| serde_json::json!({ "id": id })))
    }

    async fn lookup(
        State(server): State<Server>,
        Path(subject): Path<String>,
        headers: HeaderMap,
        body: Bytes,
    ) -> Response {
        if let Some(denied) = authorized(&server, &headers) {
            return denied;
        }
        let found = server.registry.lookup(&subject, &schema_of(&body)).await;
        reply(found.map(|r| {
            serde_json::json!({"subject": r.subject, "id": r.id, "version": r.version, "schema": r.schema})
        }))
    }

    async fn by_id(
        State(server): State<Server>,
        Path(id): Path<i32>,
        headers: HeaderMap,
    ) -> Response {
        if let Some(denied) = authorized(&server, &headers) {
            return denied;
        }
        reply(
            server
                .registry
                .schema_by_id(id)
                .await
                .map(|s| serde_json::json!({ "schema": s })),
        )
    }

    async fn latest(
        State(server): State<Server>,
        Path(subject): Path<String>,
        headers: HeaderMap,
    ) -> Response {
        if let Some(denied) = authorized(&server, &headers) {
            return denied;
        }
        let found = server.registry.latest(&subject).await;
        reply(found.map(|r| {
            serde_json::json!({"subject": r.subject, "id": r.id, "version": r.version, "schema": r.schema})
        }))
    }

    /// Serves the registry on a free local port and returns its URL.
    async fn serve(server: Server) -> String {
        let app = Router::new()
            .route("/subjects/{subject}/versions", post(register))
            .route("/subjects/{subject}", post(lookup))
            .route("/subjects/{subject}/versions/latest", get(latest))
            .route("/schemas/ids/{id}", get(by_id))
            .with_state(server);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        format!("http://{address}")
    }

    /// A URL nobody listens on: bind a port, then free it.
    async fn dead_url() -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a local port");
        let address = listener.local_addr().expect("local address");
        drop(listener);
        format!("http://{address}")
    }

    fn client(pairs: &[(&str, &str)]) -> HttpSchemaRegistryClient {
        let config = RegistryClientConfig::from_props(&properties(pairs)).expect("valid config");
        HttpSchemaRegistryClient::new(&config).expect("client builds")
    }

    const SCHEMA: &str = r#"{"type":"record","name":"R","fields":[{"name":"a","type":"int"}]}"#;

    #[tokio::test]
    async fn speaks_the_rest_api_with_basic_auth_from_user_info() {
        let registry = Arc::new(InMemorySchemaRegistry::new());
        let url = serve(Server {
            registry: registry.clone(),
            // base64("user:p@ss")
            auth: Some("Basic dXNlcjpwQHNz".to_string()),
        })
        .await;
        let client = client(&[
            (URL_CONFIG, &url),
            (BASIC_AUTH_SOURCE_CONFIG, "USER_INFO"),
            (USER_INFO_CONFIG, "user:p@ss"),
        ]);
        let subject = "orders/with slash-value";
        let id = client.register(subject, SCHEMA).await.expect("registers");
        assert_eq!(id, 1);
        let found = client.lookup(subject, SCHEMA).await.expect("found");
        assert_eq!((found.id, found.version), (1, 1));
        assert_eq!(client.schema_by_id(1).await.expect("by id"), SCHEMA);
        assert_eq!(client.latest(subject).await.expect("latest").id, 1);
        assert_eq!(registry.subjects(), vec![subject.to_string()]);
        let err = client.schema_by_id(99).await.expect_err("unknown id");
        assert_eq!(err, RegistryError::schema_not_found());
        assert!(!err.is_retriable());
    }

    #[tokio::test]
    async fn credentials_in_the_url_are_used_and_wrong_ones_refused() {
        let url = serve(Server {
            registry: Arc::new(InMemorySchemaRegistry::new()),
            auth: Some("Basic dXNlcjpwQHNz".to_string()),
        })
        .await;
        let with_user_info = url.replacen("http://", "http://user:p%40ss@", 1);
        let ok = client(&[(URL_CONFIG, &with_user_info)]);
        assert_eq!(ok.register("s", SCHEMA).await.expect("registers"), 1);
        let wrong = client(&[(URL_CONFIG, &url.replacen("http://", "http://user:nope@", 1))]);
        let err = wrong.register("s", SCHEMA).await.expect_err("refused");
        assert!(
            matches!(err, RegistryError::Unauthorized { status: 401, .. }),
            "{err:?}"
        );
        assert!(!err.is_retriable());
    }

    #[tokio::test]
    async fn fails_over_to_the_next_url_and_reports_unreachable_as_retriable() {
        let live = serve(Server {
            registry: Arc::new(InMemorySchemaRegistry::new()),
            auth: None,
        })
        .await;
        let dead = dead_url().await;
        let both = client(&[(URL_CONFIG, &format!("{dead},{live}"))]);
        assert_eq!(
            both.register("s", SCHEMA)
                .await
                .expect("second URL answers"),
            1
        );
        assert_eq!(
            both.preferred.load(Ordering::Relaxed),
            1,
            "the live URL is preferred"
        );

        let none = client(&[(URL_CONFIG, &dead)]);
        let err = none.schema_by_id(1).await.expect_err("unreachable");
        assert!(err.is_retriable(), "{err:?}");
        assert!(err.to_string().contains(&dead), "{err}");
    }

    #[test]
    fn bad_tls_material_is_a_config_error() {
        let config = RegistryClientConfig::from_props(&properties(&[
            (URL_CONFIG, "https://localhost:1"),
            (
                super::super::config::TRUSTSTORE_CERTIFICATES_CONFIG,
                "not a certificate",
            ),
        ]))
        .expect("parses");
        let err = HttpSchemaRegistryClient::new(&config).expect_err("no certificate");
        assert_eq!(err.simple_class(), "ConfigException");
    }
}
