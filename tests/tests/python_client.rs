//! `connectd` driven by a client we did not write: Python's grpcio, discovering the API
//! through server reflection alone (no .proto files), as grpcurl or Postman would.

use std::process::Output;
use std::time::Duration;

use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;

/// Runs `tests/python/reflection_client.py ADDR METHOD JSON [extra args]`.
async fn call(addr: &str, method: &str, request: &str, extra: &[&str]) -> Output {
    let python = std::env::var("TEST_PYTHON").unwrap_or_else(|_| {
        panic!("TEST_PYTHON is not set: run the tests with scripts/test.sh, which installs grpcio into .venv")
    });
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/python/reflection_client.py");
    let mut command = tokio::process::Command::new(python);
    command
        .arg(script)
        .arg(addr)
        .arg(method)
        .arg(request)
        .args(extra);
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("python client finished in time")
        .expect("run python client")
}

fn lines(output: &Output) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn python_reflection_client_drives_the_service() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(dir.path())).await;
    let addr = connectd.addr.clone();
    let service = "connect.v1.ConnectService";

    let plugins = call(
        &addr,
        &format!("{service}/ListPlugins"),
        r#"{"types": ["PLUGIN_TYPE_SOURCE"]}"#,
        &[],
    )
    .await;
    assert!(
        plugins.status.success(),
        "{}",
        String::from_utf8_lossy(&plugins.stderr)
    );
    let response = &lines(&plugins)[0];
    let classes: Vec<&str> = response["plugins"]
        .as_array()
        .expect("plugins")
        .iter()
        .filter_map(|p| p["class_name"].as_str())
        .collect();
    assert!(
        classes.contains(&"org.apache.kafka.connect.file.FileStreamSourceConnector"),
        "{classes:?}"
    );

    let name = kafka::unique_name("py");
    let topic = kafka::unique_name("py");
    let create = serde_json::json!({
        "name": name,
        "config": {"connector.class": "Datagen", "topic": topic, "count": "10"},
        "initial_state": "TARGET_STATE_PAUSED",
    });
    let created = call(
        &addr,
        &format!("{service}/CreateConnector"),
        &create.to_string(),
        &[],
    )
    .await;
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert_eq!(lines(&created)[0]["info"]["name"], serde_json::json!(name));

    let got = call(
        &addr,
        &format!("{service}/GetConnector"),
        &serde_json::json!({"name": name}).to_string(),
        &[],
    )
    .await;
    assert!(
        got.status.success(),
        "{}",
        String::from_utf8_lossy(&got.stderr)
    );
    let got = &lines(&got)[0];
    assert_eq!(got["info"]["type"], "CONNECTOR_TYPE_SOURCE");
    assert_eq!(got["status"]["state"], "STATE_PAUSED");

    let missing = call(
        &addr,
        &format!("{service}/GetConnector"),
        r#"{"name": "no-such-connector"}"#,
        &[],
    )
    .await;
    assert_eq!(missing.status.code(), Some(3), "NOT_FOUND exits 3");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("NOT_FOUND"));

    let invalid =
        serde_json::json!({"name": "bad", "config": {"connector.class": "FileStreamSource"}});
    let rejected = call(
        &addr,
        &format!("{service}/CreateConnector"),
        &invalid.to_string(),
        &[],
    )
    .await;
    assert_eq!(rejected.status.code(), Some(4), "INVALID_ARGUMENT exits 4");
    let stderr = String::from_utf8_lossy(&rejected.stderr);
    assert!(
        stderr.contains("INVALID_ARGUMENT") && stderr.contains("topic"),
        "{stderr}"
    );

    // The status stream: a snapshot of the connector, then the marker.
    let watch = serde_json::json!({"connector_names": [name], "include_tasks": false});
    let watched = call(
        &addr,
        &format!("{service}/WatchStatus"),
        &watch.to_string(),
        &["--max-messages", "2"],
    )
    .await;
    assert!(
        watched.status.success(),
        "{}",
        String::from_utf8_lossy(&watched.stderr)
    );
    let events = lines(&watched);
    assert_eq!(events[0]["event"]["type"], "STATUS_EVENT_TYPE_SNAPSHOT");
    assert_eq!(
        events[0]["event"]["connector_name"],
        serde_json::json!(name)
    );
    assert_eq!(events[0]["event"]["state"], "STATE_PAUSED");
    assert_eq!(
        events[1]["event"]["type"],
        "STATUS_EVENT_TYPE_SNAPSHOT_COMPLETE"
    );

    // Health, the standard service generic tools probe first.
    let health = call(
        &addr,
        "grpc.health.v1.Health/Check",
        r#"{"service": "connect.v1.ConnectService"}"#,
        &[],
    )
    .await;
    assert!(
        health.status.success(),
        "{}",
        String::from_utf8_lossy(&health.stderr)
    );
    assert_eq!(lines(&health)[0]["status"], "SERVING");
    let mut connectd = connectd;
    connectd.stop().await;
}
