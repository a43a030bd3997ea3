//! Kafka down when the worker starts: tasks wait and retry, their status says why, and
//! once a broker comes up they run and records flow, with no restart of anything.

use std::time::Duration;

use connect_proto::v1::{self, State};
use connect_tests::connectd::{Connectd, Options, free_port};
use connect_tests::kafka::{self, TansuProcess};
use connect_tests::scenario::{props, status, wait_for_state};
use connect_tests::wait::eventually;

#[tokio::test(flavor = "multi_thread")]
async fn tasks_wait_for_kafka_and_say_why_then_run() {
    let dir = tempfile::tempdir().expect("temp dir");
    let port = free_port();
    let bootstrap = format!("127.0.0.1:{port}");
    let mut options = Options::new(dir.path());
    options.bootstrap_servers = Some(bootstrap.clone());
    let connectd = Connectd::start(options).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("gen");
    let topic = kafka::unique_name("outage");
    client
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "Datagen"),
                ("topic", &topic),
                ("count", "50"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create while Kafka is down");

    let waiting = eventually(
        "the task to report that Kafka is unreachable",
        Duration::from_secs(30),
        || {
            let client = client.clone();
            let name = name.clone();
            async move {
                let mut client = client;
                let s = status(&mut client, &name).await;
                match s.tasks.first() {
                    Some(t) if t.state == State::Restarting as i32 && !t.trace.is_empty() => {
                        Ok(t.trace.clone())
                    }
                    other => Err(format!("{other:?}")),
                }
            }
        },
    )
    .await;
    assert!(
        waiting.contains("Waiting for Kafka") && waiting.contains(&bootstrap),
        "{waiting}"
    );
    // The connector itself is fine: only the task waits.
    assert_eq!(
        status(&mut client, &name).await.state,
        State::Running as i32
    );

    let broker = TansuProcess::start(port);
    wait_for_state(&client, &name, State::Running, 1, Duration::from_secs(60)).await;
    assert!(status(&mut client, &name).await.tasks[0].trace.is_empty());
    let bootstrap_for_read = broker.bootstrap.clone();
    eventually(
        "the records to reach the broker that came up",
        Duration::from_secs(60),
        || {
            let (bootstrap, topic) = (bootstrap_for_read.clone(), topic.clone());
            async move {
                let records = tokio::task::spawn_blocking(move || {
                    kafka::consume_from(&bootstrap, &topic, 50, Duration::from_secs(2))
                })
                .await
                .expect("consume");
                if records.len() == 50 {
                    Ok(())
                } else {
                    Err(format!("{} records", records.len()))
                }
            }
        },
    )
    .await;
    let mut connectd = connectd;
    connectd.stop().await;
    drop(broker);
}
