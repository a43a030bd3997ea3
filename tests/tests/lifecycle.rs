//! Control-plane semantics against a real `connectd` and broker: pause, resume, stop,
//! restart, the order and content of the status stream, offsets management, and the error
//! codes of bad requests.

use std::time::Duration;

use connect_proto::v1::{self, State, StatusEventType as Ev};
use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;
use connect_tests::scenario::{
    events_until, next_event, props, sink_offset, status, wait_for_state,
};
use connect_tests::wait::eventually;
use tonic::Code;

const TIMEOUT: Duration = Duration::from_secs(30);

fn datagen(topic: &str, rate: &str) -> connect_core::Properties {
    props(&[
        ("connector.class", "Datagen"),
        ("topic", topic),
        ("schema", "sequence"),
        ("rate", rate),
    ])
}

/// The datagen task's committed `seq` (next record to produce), if any.
async fn committed_seq(client: &connect_client::ConnectClient, name: &str) -> Option<i64> {
    let mut client = client.clone();
    let offsets = client
        .get_connector_offsets(name)
        .await
        .expect("offsets")
        .offsets;
    offsets.first().and_then(|o| {
        let offset = o.offset.as_ref()?;
        match offset.fields.get("seq")?.kind.as_ref()? {
            prost_types::value::Kind::NumberValue(n) => Some(*n as i64),
            _ => None,
        }
    })
}

fn seq_offset(seq: f64) -> v1::ConnectorOffset {
    let number = |n: f64| prost_types::Value {
        kind: Some(prost_types::value::Kind::NumberValue(n)),
    };
    v1::ConnectorOffset {
        partition: Some(prost_types::Struct {
            fields: [("task".to_string(), number(0.0))].into(),
        }),
        offset: Some(prost_types::Struct {
            fields: [("seq".to_string(), number(seq))].into(),
        }),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn lifecycle_transitions_stream_in_order_and_take_effect() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(dir.path())).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("gen");
    let topic = kafka::unique_name("lifecycle");

    let mut events = client
        .watch_status(Vec::<String>::new(), true)
        .await
        .expect("watch");
    // An empty worker: the snapshot is just the marker.
    let marker = next_event(&mut events, TIMEOUT).await;
    assert_eq!(marker.r#type(), Ev::SnapshotComplete);
    assert_eq!(marker.sequence, 1);

    client
        .create_connector(
            name.as_str(),
            datagen(&topic, "200"),
            v1::TargetState::Running,
        )
        .await
        .expect("create");
    let created = events_until(&mut events, &name, TIMEOUT, |seen| {
        seen.last() == Some(&(Some(0), Ev::Changed, State::Running))
    })
    .await;
    assert_eq!(
        created,
        vec![
            (None, Ev::Changed, State::Running),
            (Some(0), Ev::Changed, State::Unassigned),
            (Some(0), Ev::Changed, State::Running),
        ]
    );

    // Pause: both instances report PAUSED and the source stops producing.
    client.pause_connector(name.as_str()).await.expect("pause");
    let paused = events_until(&mut events, &name, TIMEOUT, |seen| seen.len() == 2).await;
    assert_eq!(
        paused,
        vec![
            (None, Ev::Changed, State::Paused),
            (Some(0), Ev::Changed, State::Paused)
        ]
    );
    let before = eventually("offsets to settle while paused", TIMEOUT, || {
        let client = client.clone();
        let name = name.clone();
        async move {
            let first = committed_seq(&client, &name).await;
            tokio::time::sleep(Duration::from_millis(1200)).await;
            let second = committed_seq(&client, &name).await;
            match (first, second) {
                (Some(a), Some(b)) if a == b => Ok(b),
                other => Err(format!("{other:?}")),
            }
        }
    })
    .await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    assert_eq!(
        committed_seq(&client, &name).await,
        Some(before),
        "a paused source must not produce"
    );

    // Resume: RUNNING again and records flow again.
    client
        .resume_connector(name.as_str())
        .await
        .expect("resume");
    let resumed = events_until(&mut events, &name, TIMEOUT, |seen| seen.len() == 2).await;
    assert_eq!(
        resumed,
        vec![
            (None, Ev::Changed, State::Running),
            (Some(0), Ev::Changed, State::Running)
        ]
    );
    eventually("the resumed source to produce", TIMEOUT, || {
        let client = client.clone();
        let name = name.clone();
        async move {
            match committed_seq(&client, &name).await {
                Some(seq) if seq > before => Ok(()),
                other => Err(format!("{other:?}")),
            }
        }
    })
    .await;

    // Restart with tasks: the answer shows RESTARTING, then both come back RUNNING.
    let restarted = client
        .restart_connector(name.as_str(), true, false)
        .await
        .expect("restart")
        .status
        .expect("status");
    assert_eq!(restarted.state, State::Restarting as i32);
    assert!(
        restarted
            .tasks
            .iter()
            .all(|t| t.state == State::Restarting as i32),
        "{restarted:?}"
    );
    let cycle = events_until(&mut events, &name, TIMEOUT, |seen| {
        seen.contains(&(None, Ev::Changed, State::Running))
            && seen.last() == Some(&(Some(0), Ev::Changed, State::Running))
    })
    .await;
    assert_eq!(
        cycle[..2],
        [
            (None, Ev::Changed, State::Restarting),
            (Some(0), Ev::Changed, State::Restarting)
        ]
    );
    // Only failed: nothing failed, so nothing restarts.
    let untouched = client
        .restart_connector(name.as_str(), true, true)
        .await
        .expect("restart")
        .status
        .expect("status");
    assert_eq!(untouched.state, State::Running as i32);

    // Restart one task; an unknown task is NOT_FOUND.
    client
        .restart_task(name.as_str(), 0)
        .await
        .expect("restart task");
    let err = client.restart_task(name.as_str(), 7).await.unwrap_err();
    assert_eq!(err.code(), Code::NotFound);
    wait_for_state(&client, &name, State::Running, 1, TIMEOUT).await;

    // Stop: the task goes away, the connector is STOPPED, its config stays.
    client.stop_connector(name.as_str()).await.expect("stop");
    let stopped = events_until(&mut events, &name, TIMEOUT, |seen| {
        seen.last() == Some(&(None, Ev::Changed, State::Stopped))
    })
    .await;
    assert!(
        stopped.contains(&(Some(0), Ev::Deleted, State::Unspecified)),
        "{stopped:?}"
    );
    let info = client.get_connector(name.as_str()).await.expect("get");
    assert!(info.info.expect("info").tasks.is_empty());
    assert_eq!(info.status.expect("status").state, State::Stopped as i32);

    // Delete: a DELETED event, then NOT_FOUND.
    client
        .delete_connector(name.as_str())
        .await
        .expect("delete");
    events_until(&mut events, &name, TIMEOUT, |seen| {
        seen.last() == Some(&(None, Ev::Deleted, State::Unspecified))
    })
    .await;
    assert_eq!(
        client
            .get_connector(name.as_str())
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn source_offsets_are_altered_and_reset_only_while_stopped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(dir.path())).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("gen");
    let topic = kafka::unique_name("offsets");
    client
        .create_connector(
            name.as_str(),
            datagen(&topic, "100"),
            v1::TargetState::Running,
        )
        .await
        .expect("create");
    eventually("offsets to be committed", TIMEOUT, || {
        let client = client.clone();
        let name = name.clone();
        async move {
            committed_seq(&client, &name)
                .await
                .filter(|s| *s > 10)
                .ok_or_else(|| "none yet".to_string())
        }
    })
    .await;

    // Not stopped: FAILED_PRECONDITION for both alter and reset.
    let err = client
        .alter_connector_offsets(name.as_str(), vec![seq_offset(5.0)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);
    let err = client
        .reset_connector_offsets(name.as_str())
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::FailedPrecondition);

    client.stop_connector(name.as_str()).await.expect("stop");
    let message = client
        .alter_connector_offsets(name.as_str(), vec![seq_offset(5.0)])
        .await
        .expect("alter")
        .message;
    assert!(message.contains("altered successfully"), "{message}");
    assert_eq!(committed_seq(&client, &name).await, Some(5));

    // A malformed offset is rejected with INVALID_ARGUMENT, and nothing changes.
    let err = client
        .alter_connector_offsets(name.as_str(), vec![seq_offset(-3.0)])
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument, "{err}");
    assert_eq!(committed_seq(&client, &name).await, Some(5));

    let message = client
        .reset_connector_offsets(name.as_str())
        .await
        .expect("reset")
        .message;
    assert!(message.contains("reset successfully"), "{message}");
    assert_eq!(committed_seq(&client, &name).await, None);

    // After a reset the source starts over: record seq 0 is produced a second time.
    client
        .resume_connector(name.as_str())
        .await
        .expect("resume");
    eventually(
        "seq 0 to be produced twice",
        Duration::from_secs(60),
        || {
            let topic = topic.clone();
            async move {
                let records = tokio::task::spawn_blocking(move || {
                    kafka::consume(&topic, usize::MAX, Duration::from_secs(2))
                })
                .await
                .expect("consume");
                let zeros = records
                    .iter()
                    .filter_map(|r| serde_json::from_str::<serde_json::Value>(&kafka::text(r)).ok())
                    .filter(|v| v["payload"]["seq"] == 0)
                    .count();
                if zeros >= 2 {
                    Ok(())
                } else {
                    Err(format!(
                        "{zeros} records with seq 0 among {}",
                        records.len()
                    ))
                }
            }
        },
    )
    .await;
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sink_offsets_follow_the_consumer_group() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let topic = kafka::unique_name("sink-offsets");
    kafka::create_topic(&topic, 1).await;
    let records: Vec<kafka::KeyValue> = (0..10)
        .map(|i| (None, Some(format!("\"r{i}\"").into_bytes())))
        .collect();
    kafka::produce(&topic, &records).await;
    let name = kafka::unique_name("count");
    let report = dir.path().join("report.json");
    let report_path = report.to_str().expect("utf-8").to_string();
    client
        .create_connector(
            name.as_str(),
            props(&[
                (
                    "connector.class",
                    "io.connectrs.connect.counting.CountingSinkConnector",
                ),
                ("topics", &topic),
                ("report.file", &report_path),
                (
                    "value.converter",
                    "org.apache.kafka.connect.json.JsonConverter",
                ),
                ("value.converter.schemas.enable", "false"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create");
    let counted = |report: std::path::PathBuf, want: u64| async move {
        let text = std::fs::read_to_string(&report).unwrap_or_default();
        let records = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["records"].as_u64());
        if records == Some(want) {
            Ok(())
        } else {
            Err(format!("report: {text}"))
        }
    };
    eventually("the sink to count all 10 records", TIMEOUT, || {
        counted(report.clone(), 10)
    })
    .await;
    eventually("the group to commit offset 10", TIMEOUT, || {
        let (client, name) = (client.clone(), name.clone());
        async move {
            let mut client = client;
            sink_offset(&mut client, &name)
                .await
                .filter(|o| *o == 10)
                .ok_or("not yet".to_string())
        }
    })
    .await;

    client.stop_connector(name.as_str()).await.expect("stop");
    let partition = prost_types::Struct {
        fields: [
            (
                "kafka_topic".to_string(),
                prost_types::Value {
                    kind: Some(prost_types::value::Kind::StringValue(topic.clone())),
                },
            ),
            (
                "kafka_partition".to_string(),
                prost_types::Value {
                    kind: Some(prost_types::value::Kind::NumberValue(0.0)),
                },
            ),
        ]
        .into(),
    };
    let offset = prost_types::Struct {
        fields: [(
            "kafka_offset".to_string(),
            prost_types::Value {
                kind: Some(prost_types::value::Kind::NumberValue(4.0)),
            },
        )]
        .into(),
    };
    client
        .alter_connector_offsets(
            name.as_str(),
            vec![v1::ConnectorOffset {
                partition: Some(partition),
                offset: Some(offset),
            }],
        )
        .await
        .expect("alter");
    assert_eq!(sink_offset(&mut client.clone(), &name).await, Some(4));

    // Resumed from offset 4: records 4..9 are delivered again (16 in all).
    client
        .resume_connector(name.as_str())
        .await
        .expect("resume");
    eventually("the sink to count 6 more records", TIMEOUT, || {
        counted(report.clone(), 16)
    })
    .await;
    let state = status(&mut client, &name).await;
    assert_eq!(state.state, State::Running as i32);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_requests_get_precise_codes_and_field_violations() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(dir.path())).await;
    let mut client = connectd.client().await;

    let err = client
        .create_connector(
            "broken",
            props(&[
                ("connector.class", "FileStreamSink"),
                ("tasks.max", "zero"),
                ("key.converter", "com.example.NoSuchConverter"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), Code::InvalidArgument, "{err}");
    let fields: Vec<&str> = err
        .field_violations()
        .iter()
        .map(|v| v.field.as_str())
        .collect();
    for field in ["tasks.max", "key.converter", "topics", "topics.regex"] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let unknown_class = client
        .create_connector(
            "broken",
            props(&[("connector.class", "com.example.Nope")]),
            v1::TargetState::Running,
        )
        .await
        .unwrap_err();
    assert_eq!(unknown_class.code(), Code::InvalidArgument);
    assert!(
        unknown_class
            .field_violations()
            .iter()
            .any(|v| v.field == "connector.class")
    );

    let validation = client
        .validate_connector_config(
            "FileStreamSource",
            props(&[("name", "v"), ("batch.size", "many")]),
        )
        .await
        .expect("validate");
    assert!(validation.error_count >= 2, "{validation:?}");
    let with_errors: Vec<&str> = validation
        .configs
        .iter()
        .filter(|c| c.value.as_ref().is_some_and(|v| !v.errors.is_empty()))
        .map(|c| c.definition.as_ref().map(|d| d.name.as_str()).unwrap_or(""))
        .collect();
    assert!(
        with_errors.contains(&"topic") && with_errors.contains(&"batch.size"),
        "{with_errors:?}"
    );

    assert_eq!(
        client.get_connector("nope").await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        client.pause_connector("nope").await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        client.delete_connector("nope").await.unwrap_err().code(),
        Code::NotFound
    );
    assert_eq!(
        client
            .get_connector_offsets("nope")
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );
    assert_eq!(
        client
            .validate_connector_config("com.example.Nope", props(&[]))
            .await
            .unwrap_err()
            .code(),
        Code::NotFound
    );

    let name = kafka::unique_name("dup");
    let topic = kafka::unique_name("dup");
    client
        .create_connector(name.as_str(), datagen(&topic, "1"), v1::TargetState::Paused)
        .await
        .expect("create paused");
    let dup = client
        .create_connector(
            name.as_str(),
            datagen(&topic, "1"),
            v1::TargetState::Running,
        )
        .await
        .unwrap_err();
    assert_eq!(dup.code(), Code::AlreadyExists);
    let mut connectd = connectd;
    connectd.stop().await;
}
