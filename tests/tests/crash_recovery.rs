//! A worker killed mid-stream (SIGKILL: nothing flushed) and started again resumes its
//! connectors from their committed positions: every record arrives, in order, at least once.

use std::time::Duration;

use connect_proto::v1::{self, State};
use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;
use connect_tests::scenario::{props, wait_for_state};
use connect_tests::wait::eventually;

const RECORDS: i64 = 4000;

/// The `seq` of each line the file sink wrote (`Struct{task=0,seq=N,ts=...}`).
fn sequence_numbers(text: &str) -> Vec<i64> {
    text.lines()
        .filter_map(|line| {
            let rest = line.split("seq=").nth(1)?;
            rest.split([',', '}']).next()?.parse().ok()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_worker_resumes_without_losing_records() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("out.txt");
    let topic = kafka::unique_name("crash");
    // One partition: the sink sees one total order, which must be the source's.
    kafka::create_topic(&topic, 1).await;
    let mut connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let source = kafka::unique_name("gen");
    let sink = kafka::unique_name("out");
    client
        .create_connector(
            source.as_str(),
            props(&[
                ("connector.class", "Datagen"),
                ("topic", &topic),
                ("schema", "sequence"),
                ("count", &RECORDS.to_string()),
                ("rate", "600"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create source");
    client
        .create_connector(
            sink.as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("topics", &topic),
                ("file", output.to_str().expect("utf-8")),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");

    eventually(
        "a quarter of the records to reach the sink",
        Duration::from_secs(60),
        || {
            let output = output.clone();
            async move {
                let n = sequence_numbers(&std::fs::read_to_string(&output).unwrap_or_default())
                    .len() as i64;
                if n >= RECORDS / 4 {
                    Ok(())
                } else {
                    Err(format!("{n} lines"))
                }
            }
        },
    )
    .await;
    connectd.kill().await;
    let written_before_crash =
        sequence_numbers(&std::fs::read_to_string(&output).unwrap_or_default()).len() as i64;
    assert!(
        written_before_crash < RECORDS,
        "the crash must happen mid-stream ({written_before_crash} lines)"
    );

    // The restarted worker finds both connectors in its data directory.
    let connectd = connectd.start_again().await;
    let client = connectd.client().await;
    wait_for_state(&client, &source, State::Running, 1, Duration::from_secs(30)).await;
    wait_for_state(&client, &sink, State::Running, 1, Duration::from_secs(30)).await;

    let lines = eventually(
        "every record to reach the sink",
        Duration::from_secs(120),
        || {
            let output = output.clone();
            async move {
                let seqs = sequence_numbers(&std::fs::read_to_string(&output).unwrap_or_default());
                let max = seqs.iter().copied().max().unwrap_or(-1);
                if max == RECORDS - 1 {
                    Ok(seqs)
                } else {
                    Err(format!("{} lines, highest seq {max}", seqs.len()))
                }
            }
        },
    )
    .await;

    // Nothing lost, nothing invented, order kept: first occurrences are exactly 0..RECORDS
    // in order; any duplicates are replays after the crash (at-least-once).
    let mut seen = std::collections::HashSet::new();
    let first_occurrences: Vec<i64> = lines.iter().copied().filter(|s| seen.insert(*s)).collect();
    assert_eq!(first_occurrences, (0..RECORDS).collect::<Vec<_>>());
    let mut connectd = connectd;
    connectd.stop().await;
}
