//! The schema registry driven by a client we did not write: confluent-kafka's Python
//! `SchemaRegistryClient` (PyPI), doing what applications do with it — register, fetch by
//! id, latest version, versions, lookup, compatibility tests and settings, deletes.

use std::time::Duration;

use connect_tests::kafka;
use connect_tests::schema_registry::TestRegistry;

#[tokio::test(flavor = "multi_thread")]
async fn confluents_python_client_drives_the_registry() {
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| {
        panic!("TEST_PYTHON is not set: run the tests with scripts/test.sh, which installs confluent-kafka into .venv")
    });
    let registry = TestRegistry::start().await;
    let subject = kafka::unique_name("payments-value");
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/python/schema_registry_client.py"
    );
    let output = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new(python)
            .arg(script)
            .arg(registry.url())
            .arg(&subject)
            .output(),
    )
    .await
    .expect("the python client finished in time")
    .expect("run the python client");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "python client failed: {stderr}");
    let observed: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("the client prints one JSON object");
    assert_eq!(
        observed["soft_deleted"],
        serde_json::json!([1, 2]),
        "{observed}"
    );
    assert_eq!(
        observed["hard_deleted"],
        serde_json::json!([1, 2]),
        "{observed}"
    );

    // What the client did is what the registry holds.
    let (status, body) = registry.get("/subjects?deleted=true").await;
    assert_eq!(status, 200);
    assert!(
        !body
            .as_array()
            .expect("a list")
            .contains(&serde_json::json!(subject)),
        "{body}"
    );
    let id2 = observed["id2"].as_i64().expect("id2");
    assert!(id2 > observed["id1"].as_i64().expect("id1"), "{observed}");
    registry.stop().await;
}
