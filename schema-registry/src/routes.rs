//! Confluent's REST endpoints, each a thin handler: decode the request, call the
//! registry, encode the answer in Confluent's shape.

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::RegistryError;
use crate::http::{QueryParams, flag, json_body, json_response, page, raw_json_response};
use crate::level::CompatibilityLevel;
use crate::registry::VersionSpec;
use crate::schema::AvroSchema;
use crate::server::AppState;

type Reply = Result<Response, RegistryError>;

fn ok(body: &impl serde::Serialize) -> Reply {
    Ok(json_response(StatusCode::OK, body))
}

/// Every endpoint, with Confluent's JSON errors for unknown paths and methods.
pub(crate) fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(root))
        .route("/mode", get(mode))
        .route("/schemas/types", get(schema_types))
        .route("/schemas/ids/{id}", get(schema_by_id))
        .route("/schemas/ids/{id}/schema", get(schema_text_by_id))
        .route("/schemas/ids/{id}/subjects", get(subjects_by_id))
        .route("/schemas/ids/{id}/versions", get(versions_by_id))
        .route("/subjects", get(list_subjects))
        .route("/subjects/{subject}", post(lookup).delete(delete_subject))
        .route(
            "/subjects/{subject}/versions",
            get(list_versions).post(register),
        )
        .route(
            "/subjects/{subject}/versions/{version}",
            get(get_version).delete(delete_version),
        )
        .route(
            "/subjects/{subject}/versions/{version}/schema",
            get(get_version_schema),
        )
        .route(
            "/config",
            get(get_global_config)
                .put(put_global_config)
                .delete(delete_global_config),
        )
        .route(
            "/config/{subject}",
            get(get_subject_config)
                .put(put_subject_config)
                .delete(delete_subject_config),
        )
        .route(
            "/compatibility/subjects/{subject}/versions/{version}",
            post(test_against_version),
        )
        .route(
            "/compatibility/subjects/{subject}/versions",
            post(test_against_all),
        )
        .fallback(|| async { RegistryError::NoSuchEndpoint })
        .method_not_allowed_fallback(|| async { RegistryError::MethodNotAllowed })
        .with_state(state)
}

/// The body of register, lookup and compatibility requests.
#[derive(Debug, Deserialize)]
struct SchemaRequest {
    #[serde(default)]
    schema: Option<String>,
    #[serde(rename = "schemaType", default)]
    schema_type: Option<String>,
    #[serde(default)]
    references: Option<Vec<Value>>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(rename = "ruleSet", default)]
    rule_set: Option<Value>,
    #[serde(default)]
    id: Option<i32>,
    #[serde(default)]
    version: Option<i32>,
}

impl SchemaRequest {
    /// The Avro schema asked about; anything this registry cannot honour is refused
    /// rather than silently dropped.
    fn avro(&self) -> Result<AvroSchema, RegistryError> {
        if let Some(kind) = &self.schema_type
            && !kind.eq_ignore_ascii_case("AVRO")
        {
            return Err(RegistryError::InvalidSchema(format!(
                "Invalid schema type {kind}: this registry supports only AVRO schemas"
            )));
        }
        if self.references.as_ref().is_some_and(|r| !r.is_empty()) {
            return Err(RegistryError::InvalidSchema(
                "Schema references are not supported by this registry: define the referenced types inline".into(),
            ));
        }
        if self.metadata.as_ref().is_some_and(|m| !m.is_null())
            || self.rule_set.as_ref().is_some_and(|r| !r.is_null())
        {
            return Err(RegistryError::InvalidSchema(
                "Schema metadata and rule sets are not supported by this registry".into(),
            ));
        }
        AvroSchema::parse(self.schema.as_deref().unwrap_or_default())
    }
}

async fn root() -> Reply {
    ok(&json!({}))
}

async fn mode() -> Reply {
    ok(&json!({ "mode": "READWRITE" }))
}

async fn schema_types() -> Reply {
    ok(&["AVRO"])
}

fn schema_id(text: &str) -> Result<i32, RegistryError> {
    text.trim()
        .parse()
        .map_err(|_| RegistryError::NoSuchEndpoint)
}

async fn schema_by_id(State(app): State<AppState>, Path(id): Path<String>) -> Reply {
    let id = schema_id(&id)?;
    let stored = app.registry().await?.schema_by_id(id)?;
    let mut body = json!({ "schema": &*stored.text });
    if let Some(kind) = &stored.schema_type {
        body["schemaType"] = json!(kind);
    }
    if let Some(references) = &stored.references {
        body["references"] = references.clone();
    }
    ok(&body)
}

async fn schema_text_by_id(State(app): State<AppState>, Path(id): Path<String>) -> Reply {
    let id = schema_id(&id)?;
    let stored = app.registry().await?.schema_by_id(id)?;
    Ok(raw_json_response(StatusCode::OK, stored.text.to_string()))
}

async fn subjects_by_id(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let id = schema_id(&id)?;
    let usages = app
        .registry()
        .await?
        .usages_of_id(id, flag(&query, "deleted"))?;
    let mut subjects: Vec<String> = usages.into_iter().map(|(s, _)| s).collect();
    subjects.dedup();
    ok(&page(subjects, &query))
}

async fn versions_by_id(
    State(app): State<AppState>,
    Path(id): Path<String>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let id = schema_id(&id)?;
    let usages = app
        .registry()
        .await?
        .usages_of_id(id, flag(&query, "deleted"))?;
    let pairs: Vec<Value> = usages
        .into_iter()
        .map(|(subject, version)| json!({ "subject": subject, "version": version }))
        .collect();
    ok(&page(pairs, &query))
}

/// `deletedOnly` is Confluent's name; Python's client sends `deleted_only`.
fn deleted_only(query: &QueryParams) -> bool {
    flag(query, "deletedOnly") || flag(query, "deleted_only")
}

async fn list_subjects(State(app): State<AppState>, Query(query): Query<QueryParams>) -> Reply {
    let prefix = query
        .get("subjectPrefix")
        .map(String::as_str)
        .unwrap_or_default();
    let subjects =
        app.registry()
            .await?
            .subjects(flag(&query, "deleted"), deleted_only(&query), prefix);
    ok(&page(subjects, &query))
}

async fn lookup(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    Query(query): Query<QueryParams>,
    body: Bytes,
) -> Reply {
    let schema = json_body::<SchemaRequest>(&body)?.avro()?;
    let found = app
        .registry()
        .await?
        .lookup(&subject, &schema, flag(&query, "deleted"))?;
    ok(&found)
}

async fn delete_subject(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let versions = app
        .registry()
        .await?
        .delete_subject(&subject, flag(&query, "permanent"))
        .await?;
    ok(&versions)
}

async fn list_versions(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let versions =
        app.registry()
            .await?
            .versions(&subject, flag(&query, "deleted"), deleted_only(&query))?;
    ok(&page(versions, &query))
}

async fn register(State(app): State<AppState>, Path(subject): Path<String>, body: Bytes) -> Reply {
    let request: SchemaRequest = json_body(&body)?;
    if request.id.is_some_and(|id| id > 0) || request.version.is_some_and(|v| v > 0) {
        return Err(RegistryError::OperationNotPermitted(
            "Choosing the id or version of a schema needs IMPORT mode, which this registry does not have".into(),
        ));
    }
    let schema = request.avro()?;
    let id = app.registry().await?.register(&subject, &schema).await?;
    ok(&json!({ "id": id }))
}

async fn get_version(
    State(app): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let spec = VersionSpec::parse(&version)?;
    let found = app
        .registry()
        .await?
        .version(&subject, spec, flag(&query, "deleted"))?;
    ok(&found)
}

async fn get_version_schema(
    State(app): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let spec = VersionSpec::parse(&version)?;
    let found = app
        .registry()
        .await?
        .version(&subject, spec, flag(&query, "deleted"))?;
    Ok(raw_json_response(StatusCode::OK, found.schema))
}

async fn delete_version(
    State(app): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let spec = VersionSpec::parse(&version)?;
    let deleted = app
        .registry()
        .await?
        .delete_version(&subject, spec, flag(&query, "permanent"))
        .await?;
    ok(&deleted)
}

/// A config update: `compatibility` (Confluent's request field), or `compatibilityLevel`
/// as some clients send back what they read.
#[derive(Debug, Deserialize)]
struct ConfigUpdate {
    #[serde(default)]
    compatibility: Option<String>,
    #[serde(rename = "compatibilityLevel", default)]
    compatibility_level: Option<String>,
}

impl ConfigUpdate {
    fn level(&self) -> Result<CompatibilityLevel, RegistryError> {
        self.compatibility
            .as_deref()
            .or(self.compatibility_level.as_deref())
            .ok_or(RegistryError::InvalidCompatibilityLevel)?
            .parse()
    }
}

fn level_reply(level: CompatibilityLevel) -> Reply {
    ok(&json!({ "compatibilityLevel": level.as_str() }))
}

async fn get_global_config(State(app): State<AppState>) -> Reply {
    level_reply(app.registry().await?.global_level())
}

async fn put_global_config(State(app): State<AppState>, body: Bytes) -> Reply {
    let level = json_body::<ConfigUpdate>(&body)?.level()?;
    app.registry().await?.set_global_level(Some(level)).await?;
    ok(&json!({ "compatibility": level.as_str() }))
}

async fn delete_global_config(State(app): State<AppState>) -> Reply {
    level_reply(app.registry().await?.set_global_level(None).await?)
}

async fn get_subject_config(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    Query(query): Query<QueryParams>,
) -> Reply {
    let level = app
        .registry()
        .await?
        .subject_level(&subject, flag(&query, "defaultToGlobal"))?;
    level_reply(level)
}

async fn put_subject_config(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    body: Bytes,
) -> Reply {
    let level = json_body::<ConfigUpdate>(&body)?.level()?;
    app.registry()
        .await?
        .set_subject_level(&subject, level)
        .await?;
    ok(&json!({ "compatibility": level.as_str() }))
}

async fn delete_subject_config(State(app): State<AppState>, Path(subject): Path<String>) -> Reply {
    level_reply(app.registry().await?.delete_subject_level(&subject).await?)
}

fn compatibility_reply(messages: Vec<String>, query: &QueryParams) -> Reply {
    let mut body = json!({ "is_compatible": messages.is_empty() });
    if flag(query, "verbose") {
        body["messages"] = json!(messages);
    }
    ok(&body)
}

async fn test_against_version(
    State(app): State<AppState>,
    Path((subject, version)): Path<(String, String)>,
    Query(query): Query<QueryParams>,
    body: Bytes,
) -> Reply {
    let spec = VersionSpec::parse(&version)?;
    let schema = json_body::<SchemaRequest>(&body)?.avro()?;
    let messages = app
        .registry()
        .await?
        .test_compatibility(&subject, Some(spec), &schema)?;
    compatibility_reply(messages, &query)
}

async fn test_against_all(
    State(app): State<AppState>,
    Path(subject): Path<String>,
    Query(query): Query<QueryParams>,
    body: Bytes,
) -> Reply {
    let schema = json_body::<SchemaRequest>(&body)?.avro()?;
    let messages = app
        .registry()
        .await?
        .test_compatibility(&subject, None, &schema)?;
    compatibility_reply(messages, &query)
}
