//! The schema registry over HTTP, against the test broker: Confluent's endpoints and
//! error codes, each compatibility level with an evolution it accepts and one it
//! refuses, deletes, settings, and state that survives a restart because it lives in
//! the `_schemas` topic.

use std::time::Duration;

use connect_schema_registry::CONTENT_TYPE;
use connect_tests::connectd::{Connectd, Options, free_port};
use connect_tests::kafka;
use connect_tests::schema_registry::{TestRegistry, unique_topic};
use rdkafka::Message;
use reqwest::Method;
use serde_json::{Value, json};

const V1: &str = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"}]}"#;
/// V1 plus a field with a default: readable by and from V1.
const V2_DEFAULT: &str = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":"string","default":""}]}"#;
/// V1 plus a field without a default: reads V1 data only if it never has to.
const V2_NO_DEFAULT: &str = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":"string"}]}"#;
/// V2_DEFAULT plus another field with a default.
const V3_DEFAULTS: &str = r#"{"type":"record","name":"User","namespace":"com.example","fields":[{"name":"id","type":"long"},{"name":"email","type":"string","default":""},{"name":"name","type":"string","default":"?"}]}"#;
/// V1 without the required `id`.
const V0_EMPTY: &str = r#"{"type":"record","name":"User","namespace":"com.example","fields":[]}"#;

fn schema_body(schema: &str) -> Value {
    json!({ "schema": schema })
}

#[tokio::test(flavor = "multi_thread")]
async fn registers_looks_up_and_lists_schemas() {
    let registry = TestRegistry::start().await;
    let subject = "users-value";

    let id = registry.register(subject, V1).await;
    // The same schema, laid out differently: the same id, no new version.
    let pretty =
        serde_json::to_string_pretty(&serde_json::from_str::<Value>(V1).expect("valid JSON"))
            .expect("pretty");
    assert_eq!(registry.register(subject, &pretty).await, id);
    assert_eq!(
        registry.get(&format!("/subjects/{subject}/versions")).await,
        (200, json!([1]))
    );
    // Under another subject it keeps its global id, as version 1 there.
    assert_eq!(registry.register("other-value", V1).await, id);

    let (status, found) = registry
        .post(&format!("/subjects/{subject}"), &schema_body(&pretty))
        .await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["subject"], subject);
    assert_eq!(found["id"], id);
    assert_eq!(found["version"], 1);
    assert_eq!(
        serde_json::from_str::<Value>(found["schema"].as_str().expect("schema text"))
            .expect("schema is JSON"),
        serde_json::from_str::<Value>(V1).expect("valid JSON")
    );
    assert!(
        found.get("schemaType").is_none(),
        "AVRO is implied: {found}"
    );

    let (status, by_id) = registry.get(&format!("/schemas/ids/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(by_id["schema"], found["schema"]);
    let (status, _, raw) = registry
        .call_raw(
            Method::GET,
            &format!("/schemas/ids/{id}/schema"),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(json!(raw), found["schema"], "the bare schema text");
    assert_eq!(
        registry.get(&format!("/schemas/ids/{id}/subjects")).await,
        (200, json!(["other-value", subject]))
    );
    assert_eq!(
        registry.get(&format!("/schemas/ids/{id}/versions")).await,
        (
            200,
            json!([{"subject": "other-value", "version": 1}, {"subject": subject, "version": 1}])
        )
    );

    let v2 = registry.register(subject, V2_DEFAULT).await;
    assert_ne!(v2, id);
    assert_eq!(
        registry.get("/subjects").await,
        (200, json!(["other-value", subject]))
    );
    assert_eq!(
        registry.get("/subjects?subjectPrefix=users").await,
        (200, json!([subject]))
    );
    for latest in ["latest", "-1", "2"] {
        let (status, version) = registry
            .get(&format!("/subjects/{subject}/versions/{latest}"))
            .await;
        assert_eq!(status, 200, "{latest}: {version}");
        assert_eq!(version["version"], 2);
        assert_eq!(version["id"], v2);
    }
    let (status, _, raw) = registry
        .call_raw(
            Method::GET,
            &format!("/subjects/{subject}/versions/1/schema"),
            None,
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(json!(raw), found["schema"]);

    assert_eq!(registry.get("/schemas/types").await, (200, json!(["AVRO"])));
    assert_eq!(registry.get("/").await, (200, json!({})));
    assert_eq!(
        registry.get("/mode").await,
        (200, json!({"mode": "READWRITE"}))
    );
    let (_, content_type, _) = registry
        .call_raw(Method::GET, "/subjects", None, None)
        .await;
    assert_eq!(content_type, CONTENT_TYPE);
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn concurrent_registrations_get_distinct_ids_and_versions() {
    let registry = TestRegistry::start().await;
    registry
        .put("/config/many", &json!({"compatibility": "NONE"}))
        .await;
    let schemas: Vec<String> = (0..8)
        .map(|i| format!(r#"{{"type":"fixed","name":"F","size":{}}}"#, i + 1))
        .collect();
    let ids = futures::future::join_all(schemas.iter().map(|s| registry.register("many", s))).await;
    let mut distinct = ids.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 8, "{ids:?}");
    assert_eq!(
        registry.get("/subjects/many/versions").await,
        (200, json!([1, 2, 3, 4, 5, 6, 7, 8]))
    );
    registry.stop().await;
}

/// Sets `level` on a fresh subject, registers `versions` there, then tries `next`: the
/// status and body of that last registration.
async fn evolve(
    registry: &TestRegistry,
    level: &str,
    versions: &[&str],
    next: &str,
) -> (u16, Value) {
    let subject = kafka::unique_name(&level.to_lowercase());
    let (status, body) = registry
        .put(
            &format!("/config/{subject}"),
            &json!({"compatibility": level}),
        )
        .await;
    assert_eq!((status, body), (200, json!({"compatibility": level})));
    for schema in versions {
        registry.register(&subject, schema).await;
    }
    registry
        .post(&format!("/subjects/{subject}/versions"), &schema_body(next))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn each_compatibility_level_accepts_and_refuses_the_right_evolutions() {
    let registry = TestRegistry::start().await;
    // (level, earlier versions, next schema, accepted)
    let cases: &[(&str, &[&str], &str, bool)] = &[
        // BACKWARD: the new schema reads old data, so new fields need defaults.
        ("BACKWARD", &[V1], V2_DEFAULT, true),
        ("BACKWARD", &[V1], V2_NO_DEFAULT, false),
        // FORWARD: old schemas read new data: adding fields is fine, dropping a field
        // old readers need (no default there) is not.
        ("FORWARD", &[V1], V2_NO_DEFAULT, true),
        ("FORWARD", &[V1], V0_EMPTY, false),
        // FULL: both.
        ("FULL", &[V1], V2_DEFAULT, true),
        ("FULL", &[V1], V2_NO_DEFAULT, false),
        ("FULL", &[V1], V0_EMPTY, false),
        // Non-transitive levels compare with the latest version only: V2_NO_DEFAULT reads
        // V2_DEFAULT's data, not V1's. Transitive levels see V1.
        ("BACKWARD", &[V1, V2_DEFAULT], V2_NO_DEFAULT, true),
        (
            "BACKWARD_TRANSITIVE",
            &[V1, V2_DEFAULT],
            V2_NO_DEFAULT,
            false,
        ),
        ("BACKWARD_TRANSITIVE", &[V1], V2_DEFAULT, true),
        ("FORWARD", &[V2_NO_DEFAULT, V2_DEFAULT], V1, true),
        (
            "FORWARD_TRANSITIVE",
            &[V2_NO_DEFAULT, V2_DEFAULT],
            V1,
            false,
        ),
        ("FORWARD_TRANSITIVE", &[V1, V2_DEFAULT], V2_NO_DEFAULT, true),
        ("FULL", &[V1, V2_DEFAULT], V2_NO_DEFAULT, true),
        ("FULL_TRANSITIVE", &[V1, V2_DEFAULT], V2_NO_DEFAULT, false),
        ("FULL_TRANSITIVE", &[V1, V2_DEFAULT], V3_DEFAULTS, true),
        // NONE: anything, even another type.
        ("NONE", &[V1], r#""string""#, true),
    ];
    for (level, versions, next, accepted) in cases {
        let (status, body) = evolve(&registry, level, versions, next).await;
        if *accepted {
            assert_eq!(status, 200, "{level} {next} should be accepted: {body}");
            assert!(body["id"].is_i64(), "{body}");
        } else {
            assert_eq!(status, 409, "{level} {next} should be refused: {body}");
            assert_eq!(body["error_code"], 409, "{body}");
            let message = body["message"].as_str().expect("message");
            assert!(
                message.starts_with(
                    "Schema being registered is incompatible with an earlier schema for subject"
                ) && message.contains(&format!("compatibility: '{level}'")),
                "{message}"
            );
        }
    }
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_say_what_is_incompatible_and_the_test_endpoint_agrees() {
    let registry = TestRegistry::start().await;
    let subject = "people-value";
    registry.register(subject, V1).await;

    let (status, body) = registry
        .post(
            &format!("/subjects/{subject}/versions"),
            &schema_body(V2_NO_DEFAULT),
        )
        .await;
    assert_eq!(status, 409);
    let message = body["message"].as_str().expect("message");
    assert!(
        message.contains("READER_FIELD_MISSING_DEFAULT_VALUE")
            && message.contains("'email'")
            && message.contains("{oldSchemaVersion: 1}"),
        "{message}"
    );

    let test = |version: &'static str, schema: &'static str, verbose: bool| {
        let registry = &registry;
        async move {
            registry
                .post(
                    &format!(
                        "/compatibility/subjects/{subject}/versions/{version}?verbose={verbose}"
                    ),
                    &schema_body(schema),
                )
                .await
        }
    };
    assert_eq!(
        test("latest", V2_DEFAULT, false).await,
        (200, json!({"is_compatible": true}))
    );
    assert_eq!(
        test("1", V2_NO_DEFAULT, false).await,
        (200, json!({"is_compatible": false}))
    );
    let (status, verbose) = test("latest", V2_NO_DEFAULT, true).await;
    assert_eq!(status, 200);
    assert_eq!(verbose["is_compatible"], false);
    let messages = verbose["messages"].as_array().expect("messages");
    assert!(
        messages.iter().any(|m| m.as_str().is_some_and(|m| m.contains(
            "The field 'email' at path '/fields/1' in the new schema has no default value and is missing in the old schema"
        ))),
        "{verbose}"
    );
    assert_eq!(test("2", V2_DEFAULT, false).await.1["error_code"], 40402);
    // Against all versions, per the level (Python's test_compatibility_all_versions).
    let (status, all) = registry
        .post(
            &format!("/compatibility/subjects/{subject}/versions"),
            &schema_body(V2_DEFAULT),
        )
        .await;
    assert_eq!((status, all), (200, json!({"is_compatible": true})));
    // Nothing registered yet: anything is compatible with `latest`.
    assert_eq!(
        registry
            .post(
                "/compatibility/subjects/nothing-yet/versions/latest",
                &schema_body(V1)
            )
            .await,
        (200, json!({"is_compatible": true}))
    );
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn compatibility_settings_are_global_and_per_subject() {
    let registry = TestRegistry::start().await;
    assert_eq!(
        registry.get("/config").await,
        (200, json!({"compatibilityLevel": "BACKWARD"}))
    );
    assert_eq!(
        registry
            .put("/config", &json!({"compatibility": "full"}))
            .await,
        (200, json!({"compatibility": "FULL"}))
    );
    assert_eq!(
        registry.get("/config").await,
        (200, json!({"compatibilityLevel": "FULL"}))
    );

    let (status, body) = registry.get("/config/orders-value").await;
    assert_eq!(
        (status, &body["error_code"]),
        (404, &json!(40408)),
        "{body}"
    );
    assert_eq!(
        registry
            .get("/config/orders-value?defaultToGlobal=true")
            .await,
        (200, json!({"compatibilityLevel": "FULL"}))
    );
    assert_eq!(
        registry
            .put("/config/orders-value", &json!({"compatibility": "NONE"}))
            .await,
        (200, json!({"compatibility": "NONE"}))
    );
    assert_eq!(
        registry.get("/config/orders-value").await,
        (200, json!({"compatibilityLevel": "NONE"}))
    );
    // The subject's level is the one used: NONE lets anything through.
    registry.register("orders-value", V1).await;
    registry.register("orders-value", r#""string""#).await;

    assert_eq!(
        registry.delete("/config/orders-value").await,
        (200, json!({"compatibilityLevel": "NONE"}))
    );
    assert_eq!(
        registry.delete("/config/orders-value").await.1["error_code"],
        40401
    );
    let (status, body) = registry
        .put(
            "/config/orders-value",
            &json!({"compatibility": "SIDEWAYS"}),
        )
        .await;
    assert_eq!(
        (status, &body["error_code"]),
        (422, &json!(42203)),
        "{body}"
    );
    assert_eq!(
        registry.delete("/config").await,
        (200, json!({"compatibilityLevel": "FULL"}))
    );
    assert_eq!(
        registry.get("/config").await,
        (200, json!({"compatibilityLevel": "BACKWARD"}))
    );
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn deletes_are_soft_first_then_permanent() {
    let registry = TestRegistry::start().await;
    let subject = "events-value";
    let id1 = registry.register(subject, V1).await;
    let id2 = registry.register(subject, V2_DEFAULT).await;

    assert_eq!(
        registry
            .delete(&format!("/subjects/{subject}/versions/1"))
            .await,
        (200, json!(1))
    );
    assert_eq!(
        registry.get(&format!("/subjects/{subject}/versions")).await,
        (200, json!([2]))
    );
    assert_eq!(
        registry
            .get(&format!("/subjects/{subject}/versions?deleted=true"))
            .await,
        (200, json!([1, 2]))
    );
    assert_eq!(
        registry
            .get(&format!("/subjects/{subject}/versions/1"))
            .await
            .1["error_code"],
        40402
    );
    assert_eq!(
        registry
            .get(&format!("/subjects/{subject}/versions/1?deleted=true"))
            .await
            .1["id"],
        id1
    );
    // Consumers still decode data written with a soft-deleted schema.
    assert_eq!(registry.get(&format!("/schemas/ids/{id1}")).await.0, 200);
    assert_eq!(
        registry
            .delete(&format!("/subjects/{subject}/versions/1"))
            .await
            .1["error_code"],
        40406
    );
    assert_eq!(
        registry
            .delete(&format!("/subjects/{subject}/versions/2?permanent=true"))
            .await
            .1["error_code"],
        40407
    );
    assert_eq!(
        registry
            .delete(&format!("/subjects/{subject}?permanent=true"))
            .await
            .1["error_code"],
        40405
    );

    // Soft-delete the subject: gone from the lists, still there with deleted=true.
    assert_eq!(
        registry.delete(&format!("/subjects/{subject}")).await,
        (200, json!([2]))
    );
    assert!(
        !registry
            .get("/subjects")
            .await
            .1
            .as_array()
            .expect("list")
            .contains(&json!(subject))
    );
    assert_eq!(
        registry.get("/subjects?deleted=true").await,
        (200, json!([subject]))
    );
    assert_eq!(
        registry.get("/subjects?deletedOnly=true").await,
        (200, json!([subject]))
    );
    assert_eq!(
        registry.delete(&format!("/subjects/{subject}")).await.1["error_code"],
        40404
    );

    // Registering a soft-deleted schema again: its id, a new version.
    let (status, again) = registry
        .post(
            &format!("/subjects/{subject}/versions"),
            &schema_body(V2_DEFAULT),
        )
        .await;
    assert_eq!((status, &again["id"]), (200, &json!(id2)), "{again}");
    assert_eq!(
        registry.get(&format!("/subjects/{subject}/versions")).await,
        (200, json!([3]))
    );
    registry.delete(&format!("/subjects/{subject}")).await;

    // Permanently: every version goes, and the number sequence starts again.
    assert_eq!(
        registry
            .delete(&format!("/subjects/{subject}?permanent=true"))
            .await,
        (200, json!([1, 2, 3]))
    );
    assert_eq!(
        registry.get("/subjects?deleted=true").await,
        (200, json!([]))
    );
    assert_eq!(
        registry
            .get(&format!("/subjects/{subject}/versions"))
            .await
            .1["error_code"],
        40401
    );
    assert_eq!(
        registry.get(&format!("/schemas/ids/{id1}")).await.1["error_code"],
        40403
    );
    let id3 = registry.register(subject, V1).await;
    assert!(
        id3 > id2,
        "ids are never handed out twice: {id3} after {id2}"
    );
    assert_eq!(
        registry.get(&format!("/subjects/{subject}/versions")).await,
        (200, json!([1]))
    );
    registry.stop().await;
}

/// Sends a request that must fail with Confluent's `status`/`error_code` and, unless
/// `message` is empty, exactly that message.
async fn expect_error(
    registry: &TestRegistry,
    request: (Method, &str, Option<Value>),
    status: u16,
    error_code: i64,
    message: &str,
) {
    let (method, path, body) = request;
    let (got_status, got) = registry.call(method.clone(), path, body.as_ref()).await;
    assert_eq!(
        (got_status, got["error_code"].as_i64()),
        (status, Some(error_code)),
        "{method} {path}: {got}"
    );
    let text = got["message"].as_str().expect("a message");
    if message.is_empty() {
        assert!(!text.is_empty(), "{method} {path}");
    } else {
        assert_eq!(text, message, "{method} {path}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn errors_use_confluents_codes_and_messages() {
    let registry = TestRegistry::start().await;
    registry.register("known", V1).await;
    let get = |path| (Method::GET, path, None);
    let post = |path, body| (Method::POST, path, Some(body));
    let not_found = "Subject 'unknown' not found.";
    expect_error(
        &registry,
        get("/subjects/unknown/versions"),
        404,
        40401,
        not_found,
    )
    .await;
    expect_error(
        &registry,
        get("/subjects/unknown/versions/1"),
        404,
        40401,
        not_found,
    )
    .await;
    let lookup_unknown = post("/subjects/unknown", schema_body(V1));
    expect_error(&registry, lookup_unknown, 404, 40401, not_found).await;
    let version_7 = get("/subjects/known/versions/7");
    expect_error(&registry, version_7, 404, 40402, "Version 7 not found.").await;
    let no_id = get("/schemas/ids/999999");
    expect_error(&registry, no_id, 404, 40403, "Schema 999999 not found").await;
    let lookup_other = post("/subjects/known", schema_body(V2_DEFAULT));
    expect_error(&registry, lookup_other, 404, 40403, "Schema not found").await;
    expect_error(
        &registry,
        get("/subjects/known/versions/0"),
        422,
        42202,
        "The specified version '0' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"",
    )
    .await;
    expect_error(
        &registry,
        get("/subjects/known/versions/first"),
        422,
        42202,
        "",
    )
    .await;
    let bad_level = (
        Method::PUT,
        "/config",
        Some(json!({"compatibility": "MOSTLY"})),
    );
    expect_error(&registry, bad_level, 422, 42203, "").await;
    let versions = "/subjects/known/versions";
    let no_fields = post(versions, schema_body(r#"{"type":"record","name":"R"}"#));
    expect_error(&registry, no_fields, 422, 42201, "").await;
    expect_error(
        &registry,
        post(versions, schema_body("{not json")),
        422,
        42201,
        "",
    )
    .await;
    expect_error(
        &registry,
        post(versions, json!({"schema": "{}", "schemaType": "JSON"})),
        422,
        42201,
        "Invalid schema type JSON: this registry supports only AVRO schemas",
    )
    .await;
    let reference = json!([{"name": "x", "subject": "y", "version": 1}]);
    let with_references = post(versions, json!({"schema": V1, "references": reference}));
    expect_error(&registry, with_references, 422, 42201, "").await;
    let with_id = post(versions, json!({"schema": V1, "id": 12}));
    expect_error(&registry, with_id, 422, 42205, "").await;
    expect_error(&registry, get("/no/such/path"), 404, 404, "").await;
    expect_error(&registry, (Method::PATCH, "/subjects", None), 405, 405, "").await;
    // Plain JSON and untyped bodies are accepted like Confluent's own content type.
    for content_type in [
        "application/json",
        "application/vnd.schemaregistry+json",
        "application/octet-stream",
    ] {
        let (status, _, body) = registry
            .call_raw(
                Method::POST,
                "/subjects/known/versions",
                Some(&schema_body(V1)),
                Some(content_type),
            )
            .await;
        assert_eq!(status, 200, "{content_type}: {body}");
    }
    registry.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn state_survives_a_restart_because_it_lives_in_the_topic() {
    let topic = unique_topic();
    let first = TestRegistry::on_topic(&topic).await;
    let a1 = first.register("a-value", V1).await;
    let a2 = first.register("a-value", V2_DEFAULT).await;
    let b1 = first.register("b-value", r#""string""#).await;
    first
        .put(
            "/config/a-value",
            &json!({"compatibility": "FULL_TRANSITIVE"}),
        )
        .await;
    first
        .put("/config", &json!({"compatibility": "FORWARD"}))
        .await;
    first.delete("/subjects/b-value").await;
    first.stop().await;

    // The topic holds Confluent's records.
    let records = kafka::consume(&topic, 6, Duration::from_secs(20));
    let keys: Vec<String> = records
        .iter()
        .map(|m| String::from_utf8_lossy(m.key().unwrap_or_default()).into_owned())
        .collect();
    assert!(
        keys.contains(
            &r#"{"keytype":"SCHEMA","subject":"a-value","version":2,"magic":1}"#.to_string()
        ) && keys.contains(&r#"{"keytype":"CONFIG","subject":"a-value","magic":0}"#.to_string())
            && keys.contains(&r#"{"keytype":"CONFIG","magic":0}"#.to_string())
            && keys.contains(
                &r#"{"keytype":"DELETE_SUBJECT","subject":"b-value","magic":0}"#.to_string()
            ),
        "{keys:#?}"
    );
    let first_value: Value =
        serde_json::from_slice(records[0].payload().expect("value")).expect("JSON value");
    assert_eq!(first_value["subject"], "a-value");
    assert_eq!(first_value["id"], a1);
    assert_eq!(first_value["deleted"], false);

    let second = TestRegistry::on_topic(&topic).await;
    assert_eq!(second.get("/subjects").await, (200, json!(["a-value"])));
    assert_eq!(
        second.get("/subjects?deleted=true").await,
        (200, json!(["a-value", "b-value"]))
    );
    let (_, latest) = second.get("/subjects/a-value/versions/latest").await;
    assert_eq!((&latest["version"], &latest["id"]), (&json!(2), &json!(a2)));
    assert_eq!(second.get(&format!("/schemas/ids/{b1}")).await.0, 200);
    assert_eq!(
        second.get("/config/a-value").await,
        (200, json!({"compatibilityLevel": "FULL_TRANSITIVE"}))
    );
    assert_eq!(
        second.get("/config").await,
        (200, json!({"compatibilityLevel": "FORWARD"}))
    );
    // The same schema keeps its id; a new one gets an id never used before.
    assert_eq!(second.register("c-value", V1).await, a1);
    // The restored global level (FORWARD) is the one enforced.
    let (status, _) = second
        .post("/subjects/c-value/versions", &schema_body(r#""bytes""#))
        .await;
    assert_eq!(status, 409);
    let new_id = second.register("d-value", r#""bytes""#).await;
    assert!(new_id > a2.max(b1), "{new_id}");
    second.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn connectd_serves_the_registry_when_asked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let mut options = Options::new(dir.path());
    options.extra_args = vec![
        "--schema-registry-listen".into(),
        format!("127.0.0.1:{port}"),
        "--schema-registry-topic".into(),
        unique_topic(),
    ];
    let connectd = Connectd::start(options).await;
    let url = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{url}/subjects/from-connectd/versions"))
        .header("Content-Type", CONTENT_TYPE)
        .body(schema_body(V1).to_string())
        .send()
        .await
        .expect("connectd's registry answers");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, 200, "{body}");
    assert!(body["id"].is_i64(), "{body}");
    let mut connectd = connectd;
    connectd.stop().await;
}
