//! File -> Kafka -> file through a real `connectd` and a real broker: the bytes that come
//! out are the bytes that went in, including text appended while the pipeline runs.

use std::time::Duration;

use connect_core::config::properties as props;
use connect_proto::v1;
use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;
use connect_tests::wait::eventually;

#[tokio::test(flavor = "multi_thread")]
async fn file_source_to_kafka_to_file_sink_copies_content_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.txt");
    let output = dir.path().join("out.txt");
    let mut content = String::new();
    for i in 0..500 {
        content.push_str(&format!(
            "line {i}: h\u{e9}llo w\u{f6}rld \u{1F600} \"quoted\" \\ tab\there\n"
        ));
        if i % 100 == 0 {
            content.push('\n'); // empty lines are records too
        }
    }
    std::fs::write(&input, &content).expect("write input");
    let topic = kafka::unique_name("file-pipeline");
    // Unique connector names give unique consumer groups (`connect-<name>`) per run.
    let source_name = kafka::unique_name("file-source");
    let sink_name = kafka::unique_name("file-sink");
    kafka::create_topic(&topic, 1).await;

    let connectd = Connectd::start(
        Options::new(&dir.path().join("data"))
            .worker_setting(
                "key.converter",
                "org.apache.kafka.connect.storage.StringConverter",
            )
            .worker_setting(
                "value.converter",
                "org.apache.kafka.connect.storage.StringConverter",
            ),
    )
    .await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            source_name.as_str(),
            props(&[
                ("connector.class", "FileStreamSource"),
                ("file", input.to_str().expect("utf-8 path")),
                ("topic", &topic),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create source");
    client
        .create_connector(
            sink_name.as_str(),
            props(&[
                (
                    "connector.class",
                    "org.apache.kafka.connect.file.FileStreamSinkConnector",
                ),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &topic),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");

    let expected = content.clone();
    eventually(
        "the sink file to hold the source file's content",
        Duration::from_secs(90),
        || {
            let output = output.clone();
            let expected = expected.clone();
            async move {
                let got = std::fs::read_to_string(&output).unwrap_or_default();
                if got == expected {
                    Ok(())
                } else {
                    Err(format!("{} of {} bytes", got.len(), expected.len()))
                }
            }
        },
    )
    .await;

    // The topic holds one plain-text record per line (StringConverter), in order.
    let lines: Vec<&str> = content.lines().collect();
    let records = kafka::consume(&topic, lines.len(), Duration::from_secs(30));
    let values: Vec<String> = records.iter().map(kafka::text).collect();
    assert_eq!(values, lines);

    // Lines appended later are picked up too.
    let more = "appended \u{2713}\nand another\n";
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&input)
        .expect("open input");
    std::io::Write::write_all(&mut file, more.as_bytes()).expect("append");
    let expected = format!("{content}{more}");
    eventually(
        "appended lines to reach the sink",
        Duration::from_secs(60),
        || {
            let output = output.clone();
            let expected = expected.clone();
            async move {
                let got = std::fs::read_to_string(&output).unwrap_or_default();
                if got == expected {
                    Ok(())
                } else {
                    Err(format!("{} of {} bytes", got.len(), expected.len()))
                }
            }
        },
    )
    .await;

    let status = client
        .get_connector(sink_name.as_str())
        .await
        .expect("status")
        .status
        .expect("status");
    assert_eq!(status.state, v1::State::Running as i32, "{status:?}");
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}
