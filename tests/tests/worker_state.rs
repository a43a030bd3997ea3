//! What a worker keeps across restarts and how it starts: connector files on the command
//! line (like connect-standalone), configs and target states that survive a restart,
//! final commits on a graceful shutdown, retried sink failures, and the embedded broker.

use std::time::Duration;

use connect_proto::v1::{self, State};
use connect_tests::connectd::{Connectd, Options, free_port};
use connect_tests::kafka;
use connect_tests::scenario::{kafka_offset_of, props, status, wait_for_state};
use connect_tests::wait::eventually;

const TIMEOUT: Duration = Duration::from_secs(30);

fn report_records(path: &std::path::Path) -> Option<u64> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str::<serde_json::Value>(&text).ok()?["records"].as_u64()
}

#[tokio::test(flavor = "multi_thread")]
async fn connector_files_start_connectors_and_states_survive_restarts() {
    let dir = tempfile::tempdir().expect("temp dir");
    let source = kafka::unique_name("from-properties");
    let sink = kafka::unique_name("from-json");
    let topic = kafka::unique_name("files");
    let properties = dir.path().join("source.properties");
    std::fs::write(
        &properties,
        format!(
            "# a Kafka Connect connector file\nname={source}\nconnector.class=org.apache.kafka.connect.file.FileStreamSourceConnector\nfile={}\ntopic={topic}\n",
            dir.path().join("in.txt").display()
        ),
    )
    .expect("properties file");
    let json = dir.path().join("sink.json");
    std::fs::write(
        &json,
        serde_json::json!({"name": sink, "config": {"connector.class": "FileStreamSink", "topics": topic, "tasks.max": 1}}).to_string(),
    )
    .expect("json file");
    let mut options = Options::new(&dir.path().join("data"));
    options.connector_files = vec![properties, json];
    let mut connectd = Connectd::start(options.clone()).await;
    let mut client = connectd.client().await;
    wait_for_state(&client, &source, State::Running, 1, TIMEOUT).await;
    wait_for_state(&client, &sink, State::Running, 1, TIMEOUT).await;
    let info = client
        .get_connector(sink.as_str())
        .await
        .expect("get")
        .info
        .expect("info");
    assert_eq!(info.config.get("tasks.max").map(String::as_str), Some("1"));

    client
        .pause_connector(source.as_str())
        .await
        .expect("pause");
    client.stop_connector(sink.as_str()).await.expect("stop");
    wait_for_state(&client, &source, State::Paused, 1, TIMEOUT).await;

    // Restarted without the files: both connectors come back, in the states they were left in.
    drop(client);
    connectd.stop().await;
    options.connector_files.clear();
    let connectd = Connectd::start(options).await;
    let mut client = connectd.client().await;
    wait_for_state(&client, &source, State::Paused, 1, TIMEOUT).await;
    let stopped = status(&mut client, &sink).await;
    assert_eq!(stopped.state, State::Stopped as i32, "{stopped:?}");
    assert!(stopped.tasks.is_empty());
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn graceful_shutdown_commits_what_the_sink_flushed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = kafka::unique_name("graceful");
    kafka::create_topic(&topic, 1).await;
    let records: Vec<kafka::KeyValue> = (0..25)
        .map(|i| (None, Some(i.to_string().into_bytes())))
        .collect();
    kafka::produce(&topic, &records).await;
    // A flush interval far longer than the test: only the shutdown can commit.
    let options =
        Options::new(&dir.path().join("data")).worker_setting("offset.flush.interval.ms", "600000");
    let mut connectd = Connectd::start(options).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("file-sink");
    let output = dir.path().join("out.txt");
    client
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("topics", &topic),
                ("file", output.to_str().expect("utf-8")),
                (
                    "value.converter",
                    "org.apache.kafka.connect.storage.StringConverter",
                ),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create");
    eventually("the sink to write every record", TIMEOUT, || {
        let output = output.clone();
        async move {
            let n = std::fs::read_to_string(&output)
                .unwrap_or_default()
                .lines()
                .count();
            if n == 25 {
                Ok(())
            } else {
                Err(format!("{n} lines"))
            }
        }
    })
    .await;
    let before = client
        .get_connector_offsets(name.as_str())
        .await
        .expect("offsets")
        .offsets;
    assert_eq!(
        kafka_offset_of(&before),
        None,
        "nothing is committed before the flush interval"
    );
    drop(client);
    connectd.stop().await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let after = client
        .get_connector_offsets(name.as_str())
        .await
        .expect("offsets")
        .offsets;
    assert_eq!(
        kafka_offset_of(&after),
        Some(25),
        "the shutdown committed every flushed record"
    );
    // Restarted from the committed position: a new record arrives, the old ones do not again.
    kafka::produce(&topic, &[(None, Some(b"after-restart".to_vec()))]).await;
    let lines = eventually("the new record to be written", TIMEOUT, || {
        let output = output.clone();
        async move {
            let text = std::fs::read_to_string(&output).unwrap_or_default();
            if text.contains("after-restart") {
                Ok(text.lines().count())
            } else {
                Err(format!("{} lines", text.lines().count()))
            }
        }
    })
    .await;
    assert_eq!(
        lines, 26,
        "records before the shutdown were not delivered again"
    );
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn retriable_sink_failures_are_retried_without_losing_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = kafka::unique_name("retry");
    kafka::create_topic(&topic, 1).await;
    let records: Vec<kafka::KeyValue> = (0..40)
        .map(|i| (None, Some(i.to_string().into_bytes())))
        .collect();
    kafka::produce(&topic, &records).await;
    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("flaky");
    let report = dir.path().join("report.json");
    client
        .create_connector(
            name.as_str(),
            props(&[
                (
                    "connector.class",
                    "io.connectrs.connect.counting.CountingSinkConnector",
                ),
                ("topics", &topic),
                ("report.file", report.to_str().expect("utf-8")),
                ("retriable.failures", "3"),
                (
                    "value.converter",
                    "org.apache.kafka.connect.storage.StringConverter",
                ),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create");
    eventually(
        "every record to be written despite three failed puts",
        TIMEOUT,
        || {
            let report = report.clone();
            async move {
                report_records(&report)
                    .filter(|n| *n == 40)
                    .ok_or_else(|| format!("{:?}", report_records(&report)))
            }
        },
    )
    .await;
    let s = status(&mut client, &name).await;
    assert_eq!(
        s.tasks[0].state,
        State::Running as i32,
        "a retriable failure must not fail the task: {s:?}"
    );
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn without_kafka_configured_connectd_runs_an_embedded_broker() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut options = Options::new(&dir.path().join("data"));
    options.bootstrap_servers = None;
    let kafka_port = free_port();
    options.extra_args = vec![
        "--embedded-kafka-listen".to_string(),
        format!("127.0.0.1:{kafka_port}"),
    ];
    let connectd = Connectd::start(options).await;
    let log = std::fs::read_to_string(&connectd.log).unwrap_or_default();
    assert!(
        log.contains("embedded Kafka-compatible broker") && log.contains(&kafka_port.to_string()),
        "{log}"
    );
    let mut client = connectd.client().await;
    let report = dir.path().join("report.json");
    client
        .create_connector(
            "gen",
            props(&[
                ("connector.class", "Datagen"),
                ("topic", "demo"),
                ("count", "300"),
                ("schema", "users"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create source");
    client
        .create_connector(
            "count",
            props(&[
                (
                    "connector.class",
                    "io.connectrs.connect.counting.CountingSinkConnector",
                ),
                ("topics", "demo"),
                ("report.file", report.to_str().expect("utf-8")),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");
    eventually(
        "the records to go through the embedded broker",
        Duration::from_secs(60),
        || {
            let report = report.clone();
            async move {
                report_records(&report)
                    .filter(|n| *n == 300)
                    .ok_or_else(|| format!("{:?}", report_records(&report)))
            }
        },
    )
    .await;
    let mut connectd = connectd;
    connectd.stop().await;
}
