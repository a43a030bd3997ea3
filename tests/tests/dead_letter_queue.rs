//! Record-level error handling end to end, through a real `connectd` and a real broker:
//! malformed records among good ones with `errors.tolerance=all` end up byte for byte in the
//! dead letter queue with Kafka Connect's context headers while every good record is
//! delivered and offsets move past the bad ones; with `errors.tolerance=none` the task
//! fails, its trace names the cause, and nothing after the bad record is committed; a sink
//! can also report a single record it cannot write.

use std::collections::BTreeMap;
use std::time::Duration;

use connect_proto::v1;
use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;
use connect_tests::scenario::{props, sink_offset, status};
use connect_tests::wait::eventually;
use rdkafka::ClientConfig;
use rdkafka::message::{Header, Headers, Message, OwnedHeaders, OwnedMessage};
use rdkafka::producer::{FutureProducer, FutureRecord};

const TIMEOUT: Duration = Duration::from_secs(60);
const JSON: &str = "org.apache.kafka.connect.json.JsonConverter";
const STRING: &str = "org.apache.kafka.connect.storage.StringConverter";

/// One record to produce: key, value and headers.
struct Input {
    key: Option<&'static str>,
    value: &'static str,
    headers: Vec<(&'static str, &'static str)>,
}

fn good(value: &'static str) -> Input {
    Input {
        key: None,
        value,
        headers: Vec::new(),
    }
}

async fn produce(topic: &str, inputs: &[Input]) {
    let producer: FutureProducer = ClientConfig::new()
        .set("bootstrap.servers", kafka::bootstrap_servers())
        .set("acks", "all")
        .create()
        .expect("producer");
    for input in inputs {
        let mut headers = OwnedHeaders::new();
        for (key, value) in &input.headers {
            headers = headers.insert(Header {
                key,
                value: Some(value.as_bytes()),
            });
        }
        let mut record: FutureRecord<'_, str, str> = FutureRecord::to(topic)
            .payload(input.value)
            .headers(headers);
        if let Some(key) = input.key {
            record = record.key(key);
        }
        producer
            .send(record, Duration::from_secs(10))
            .await
            .map_err(|(e, _)| e)
            .expect("produce");
    }
}

fn headers_of(message: &OwnedMessage) -> Vec<(String, String)> {
    message
        .headers()
        .map(|hs| {
            hs.iter()
                .map(|h| {
                    (
                        h.key.to_string(),
                        String::from_utf8_lossy(h.value.unwrap_or_default()).into_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn error_headers(message: &OwnedMessage) -> BTreeMap<String, String> {
    headers_of(message)
        .into_iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("__connect.errors.")
                .map(|name| (name.to_string(), v))
        })
        .collect()
}

async fn wait_for_offset(client: &connect_client::ConnectClient, name: &str, want: i64) {
    eventually(&format!("{name} to commit offset {want}"), TIMEOUT, || {
        let mut client = client.clone();
        let name = name.to_string();
        async move {
            let offset = sink_offset(&mut client, &name).await;
            if offset == Some(want) {
                Ok(())
            } else {
                Err(format!("committed {offset:?}"))
            }
        }
    })
    .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn tolerated_bad_records_go_to_the_dead_letter_queue_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("out.txt");
    let topic = kafka::unique_name("dlq-input");
    let dlq = kafka::unique_name("dlq");
    let name = kafka::unique_name("dlq-sink");
    kafka::create_topic(&topic, 1).await;
    produce(
        &topic,
        &[
            good(r#"{"n":0}"#),
            good(r#"{"n":1}"#),
            Input {
                key: None,
                value: r#"{"n":"#,
                headers: vec![("trace", "bad-1")],
            },
            good(r#"{"n":3}"#),
            Input {
                key: Some("k4"),
                value: "not json",
                headers: vec![("trace", "bad-2"), ("trace", "twice")],
            },
            good(r#"{"n":5}"#),
        ],
    )
    .await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &topic),
                ("key.converter", STRING),
                ("value.converter", JSON),
                ("value.converter.schemas.enable", "false"),
                ("header.converter", STRING),
                ("transforms", "wrap"),
                (
                    "transforms.wrap.type",
                    "org.apache.kafka.connect.transforms.HoistField$Value",
                ),
                ("transforms.wrap.field", "wrapped"),
                ("errors.tolerance", "all"),
                ("errors.log.enable", "true"),
                ("errors.log.include.messages", "true"),
                ("errors.deadletterqueue.topic.name", &dlq),
                ("errors.deadletterqueue.topic.replication.factor", "1"),
                ("errors.deadletterqueue.context.headers.enable", "true"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");

    // Every good record reaches the sink, through the transformation.
    let expected = "{wrapped={n=0}}\n{wrapped={n=1}}\n{wrapped={n=3}}\n{wrapped={n=5}}\n";
    eventually("the good records to reach the file", TIMEOUT, || {
        let output = output.clone();
        async move {
            let got = std::fs::read_to_string(&output).unwrap_or_default();
            if got == expected { Ok(()) } else { Err(got) }
        }
    })
    .await;
    wait_for_offset(&client, &name, 6).await;

    // The dead letter queue is created with one partition, so it keeps the failures' order,
    // and holds the bad records exactly as consumed, plus context.
    let metadata_reader: rdkafka::consumer::BaseConsumer = ClientConfig::new()
        .set("bootstrap.servers", kafka::bootstrap_servers())
        .create()
        .expect("metadata client");
    let metadata = rdkafka::consumer::Consumer::fetch_metadata(
        &metadata_reader,
        Some(&dlq),
        Duration::from_secs(10),
    )
    .expect("dead letter queue metadata");
    assert_eq!(metadata.topics()[0].partitions().len(), 1);
    let dead = kafka::consume(&dlq, 2, TIMEOUT);
    assert_eq!(dead.len(), 2, "dead letter queue records");
    assert_eq!(dead[0].payload(), Some(r#"{"n":"#.as_bytes()));
    assert_eq!(dead[0].key(), None);
    assert_eq!(dead[1].payload(), Some("not json".as_bytes()));
    assert_eq!(dead[1].key(), Some("k4".as_bytes()));
    let originals: Vec<(String, String)> = headers_of(&dead[1])
        .into_iter()
        .filter(|(k, _)| !k.starts_with("__connect.errors."))
        .collect();
    assert_eq!(
        originals,
        [
            ("trace".to_string(), "bad-2".to_string()),
            ("trace".to_string(), "twice".to_string())
        ]
    );
    for (message, offset) in dead.iter().zip(["2", "4"]) {
        let context = error_headers(message);
        assert_eq!(context["topic"], topic);
        assert_eq!(context["partition"], "0");
        assert_eq!(context["offset"], offset);
        assert_eq!(context["connector.name"], name);
        assert_eq!(context["task.id"], "0");
        assert_eq!(context["stage"], "VALUE_CONVERTER");
        assert_eq!(context["class.name"], JSON);
        assert_eq!(
            context["exception.class.name"],
            "org.apache.kafka.connect.errors.DataException"
        );
        assert!(
            context["exception.message"].contains("Converting byte[] to Kafka Connect data failed"),
            "{context:?}"
        );
        assert!(
            context["exception.stacktrace"]
                .starts_with("org.apache.kafka.connect.errors.DataException"),
            "{context:?}"
        );
    }

    // The task keeps running and counts what it skipped.
    let status = status(&mut client, &name).await;
    let task = &status.tasks[0];
    assert_eq!(task.state, v1::State::Running as i32, "{status:?}");
    let counts = task.error_counts.expect("error counts");
    assert_eq!(counts.total_records_skipped, 2, "{counts:?}");
    assert_eq!(counts.total_record_errors, 2, "{counts:?}");
    assert_eq!(counts.dead_letter_queue_produce_requests, 2, "{counts:?}");
    assert_eq!(counts.total_errors_logged, 2, "{counts:?}");
    assert!(counts.last_error_time.is_some());

    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn untolerated_bad_record_fails_the_task_and_commits_nothing_after_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("out.txt");
    let topic = kafka::unique_name("strict-input");
    let name = kafka::unique_name("strict-sink");
    kafka::create_topic(&topic, 1).await;
    let values = [
        r#"{"n":0}"#,
        r#"{"n":1}"#,
        r#"{"n":2}"#,
        r#"{"n":3}"#,
        r#"{"n":4}"#,
        "{broken",
        r#"{"n":6}"#,
        r#"{"n":7}"#,
    ];
    let inputs: Vec<Input> = values.iter().map(|v| good(v)).collect();
    produce(&topic, &inputs).await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &topic),
                ("value.converter", JSON),
                ("value.converter.schemas.enable", "false"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");

    let failed = eventually("the task to fail", TIMEOUT, || {
        let mut client = client.clone();
        let name = name.clone();
        async move {
            let status = status(&mut client, &name).await;
            match status.tasks.first() {
                Some(task) if task.state == v1::State::Failed as i32 => Ok(task.clone()),
                _ => Err(format!("{status:?}")),
            }
        }
    })
    .await;
    for part in [
        "Tolerance exceeded in error handler",
        "VALUE_CONVERTER",
        "DataException",
        "Converting byte[] to Kafka Connect data failed",
        "offset=5",
    ] {
        assert!(failed.trace.contains(part), "{part:?} in {}", failed.trace);
    }
    assert_eq!(
        failed
            .error_counts
            .expect("error counts")
            .total_record_errors,
        1
    );
    // Nothing after the bad record was written or committed.
    let written = std::fs::read_to_string(&output).unwrap_or_default();
    assert!(
        !written.contains("n=6") && !written.contains("n=7"),
        "{written}"
    );
    let committed = sink_offset(&mut client, &name).await;
    assert!(committed.is_none_or(|o| o <= 5), "committed {committed:?}");

    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sink_reports_a_single_errant_record_to_the_dead_letter_queue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = kafka::unique_name("errant-input");
    let dlq = kafka::unique_name("errant-dlq");
    let name = kafka::unique_name("errant-sink");
    let report = dir.path().join("report.json");
    kafka::create_topic(&topic, 1).await;
    let values = [
        r#"{"task":0,"seq":0}"#,
        r#"{"task":0,"seq":1}"#,
        r#"{"task":0,"seq":2}"#,
        r#"{"task":0,"seq":3}"#,
        r#"{"task":0,"seq":4}"#,
    ];
    let inputs: Vec<Input> = values.iter().map(|v| good(v)).collect();
    produce(&topic, &inputs).await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let client = connectd.client().await;
    let mut create = client.clone();
    create
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "CountingSink"),
                ("topics", &topic),
                ("report.file", report.to_str().expect("utf-8 path")),
                ("errant.on.record", "2"),
                ("value.converter", JSON),
                ("value.converter.schemas.enable", "false"),
                ("errors.tolerance", "all"),
                ("errors.deadletterqueue.topic.name", &dlq),
                ("errors.deadletterqueue.topic.replication.factor", "1"),
                ("errors.deadletterqueue.context.headers.enable", "true"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");

    wait_for_offset(&client, &name, 5).await;
    let counted = std::fs::read_to_string(&report).unwrap_or_default();
    assert!(counted.starts_with(r#"{"records":4,"#), "{counted}");
    let dead = kafka::consume(&dlq, 1, TIMEOUT);
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].payload(), Some(values[2].as_bytes()));
    let context = error_headers(&dead[0]);
    assert_eq!(context["stage"], "TASK_PUT");
    assert_eq!(
        context["class.name"],
        "org.apache.kafka.connect.sink.SinkTask"
    );
    assert_eq!(context["offset"], "2");
    assert!(
        context["exception.message"].contains("Counting sink rejected the record with seq 2"),
        "{context:?}"
    );
    drop(create);
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}
