//! The Avro converter end to end, against the Schema Registry and a real broker: datagen
//! writes Avro in Confluent's wire format, a sink reads it back; a schema that gains an
//! optional field mid-stream keeps flowing; an unreachable registry is retried and then
//! fails the task with a clear trace; an unknown schema id fails the task or goes to the
//! dead letter queue, as `errors.tolerance` says.

use std::time::Duration;

use connect_converters::avro::AvroConverter;
use connect_core::config::properties;
use connect_core::{Converter, ConverterType, Headers, SchemaBuilder, Struct, Value};
use connect_proto::v1;
use connect_tests::connectd::{Connectd, Options, free_port};
use connect_tests::kafka;
use connect_tests::scenario::{props, status};
use connect_tests::schema_registry::TestRegistry;
use connect_tests::wait::eventually;
use rdkafka::message::Message;

const TIMEOUT: Duration = Duration::from_secs(60);
const AVRO: &str = "io.confluent.connect.avro.AvroConverter";

/// Waits until the file holds `lines` lines and returns them.
async fn wait_for_lines(path: &std::path::Path, lines: usize) -> Vec<String> {
    let path = path.to_path_buf();
    eventually(&format!("{lines} lines in the sink file"), TIMEOUT, || {
        let path = path.clone();
        async move {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let got: Vec<String> = text.lines().map(str::to_string).collect();
            if got.len() >= lines {
                Ok(got)
            } else {
                Err(format!("{} lines: {text}", got.len()))
            }
        }
    })
    .await
}

/// Waits until the connector's only task is FAILED and returns it.
async fn wait_for_failure(client: &connect_client::ConnectClient, name: &str) -> v1::TaskStatus {
    eventually(&format!("{name} to fail"), TIMEOUT, || {
        let mut client = client.clone();
        let name = name.to_string();
        async move {
            let status = status(&mut client, &name).await;
            match status.tasks.first() {
                Some(task) if task.state == v1::State::Failed as i32 => Ok(task.clone()),
                _ => Err(format!("{status:?}")),
            }
        }
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn datagen_avro_flows_through_kafka_to_a_sink() {
    let registry = TestRegistry::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("out.txt");
    let topic = kafka::unique_name("avro-orders");
    kafka::create_topic(&topic, 1).await;
    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            kafka::unique_name("avro-datagen").as_str(),
            props(&[
                ("connector.class", "Datagen"),
                ("topic", &topic),
                ("schema", "orders"),
                ("count", "20"),
                ("key.converter", AVRO),
                ("key.converter.schema.registry.url", &registry.url()),
                ("value.converter", AVRO),
                ("value.converter.schema.registry.url", &registry.url()),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create source");
    // The topic holds Confluent's wire format: magic byte 0 and the registered id.
    let records = kafka::consume(&topic, 20, TIMEOUT);
    assert_eq!(records.len(), 20);
    let (code, subjects) = registry.call(reqwest::Method::GET, "/subjects", None).await;
    assert_eq!(code, 200);
    let subjects = subjects.to_string();
    assert!(
        subjects.contains(&format!("{topic}-value")) && subjects.contains(&format!("{topic}-key")),
        "{subjects}"
    );
    let (_, latest) = registry
        .call(
            reqwest::Method::GET,
            &format!("/subjects/{topic}-value/versions/latest"),
            None,
        )
        .await;
    let id = latest["id"].as_u64().expect("schema id") as u32;
    for record in &records {
        let value = record.payload().expect("value");
        assert_eq!(value[0], 0, "magic byte");
        assert_eq!(
            u32::from_be_bytes([value[1], value[2], value[3], value[4]]),
            id
        );
    }

    client
        .create_connector(
            kafka::unique_name("avro-sink").as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &topic),
                ("key.converter", AVRO),
                ("key.converter.schema.registry.url", &registry.url()),
                ("value.converter", AVRO),
                ("value.converter.schema.registry.url", &registry.url()),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");
    let lines = wait_for_lines(&output, 20).await;
    assert_eq!(lines.len(), 20);
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with("Struct{") && l.contains("amount=")),
        "{lines:?}"
    );
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_optional_field_mid_stream_keeps_flowing() {
    let registry = TestRegistry::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let output = dir.path().join("out.txt");
    let topic = kafka::unique_name("avro-evolve");
    kafka::create_topic(&topic, 1).await;
    let converter = AvroConverter::new(
        &properties(&[("schema.registry.url", &registry.url())]),
        ConverterType::Value,
    )
    .expect("avro converter");
    let v1 = SchemaBuilder::structure()
        .name("com.example.Person")
        .field("id", SchemaBuilder::int64().build().expect("int64"))
        .field("name", SchemaBuilder::string().build().expect("string"))
        .build()
        .expect("v1");
    let v2 = SchemaBuilder::structure()
        .name("com.example.Person")
        .field("id", SchemaBuilder::int64().build().expect("int64"))
        .field("name", SchemaBuilder::string().build().expect("string"))
        .field(
            "note",
            SchemaBuilder::string().optional().build().expect("string"),
        )
        .build()
        .expect("v2");
    let mut values = Vec::new();
    for (id, name) in [(1, "ada"), (2, "bob")] {
        let person = Struct::new(v1.clone())
            .expect("struct")
            .with("id", Value::Int64(id))
            .and_then(|s| s.with("name", Value::String(name.into())))
            .expect("v1 value");
        values.push((v1.clone(), Value::Struct(person)));
    }
    for (id, name, note) in [(3, "cy", Some("new")), (4, "di", None)] {
        let person = Struct::new(v2.clone())
            .expect("struct")
            .with("id", Value::Int64(id))
            .and_then(|s| s.with("name", Value::String(name.into())))
            .and_then(|s| {
                s.with(
                    "note",
                    note.map_or(Value::Null, |n| Value::String(n.to_string())),
                )
            })
            .expect("v2 value");
        values.push((v2.clone(), Value::Struct(person)));
    }
    let mut records = Vec::new();
    for (schema, value) in &values {
        let bytes = converter
            .from_connect_data(&topic, &mut Headers::new(), Some(schema), value)
            .await
            .expect("serialize")
            .expect("bytes");
        records.push((None, Some(bytes)));
    }
    // The second schema is a new version of the same subject (BACKWARD compatible).
    let (_, versions) = registry
        .call(
            reqwest::Method::GET,
            &format!("/subjects/{topic}-value/versions"),
            None,
        )
        .await;
    assert_eq!(versions, serde_json::json!([1, 2]));
    kafka::produce(&topic, &records[..2]).await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            kafka::unique_name("evolve-sink").as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &topic),
                ("value.converter", AVRO),
                ("value.converter.schema.registry.url", &registry.url()),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");
    wait_for_lines(&output, 2).await;
    // The evolved records arrive while the sink runs.
    kafka::produce(&topic, &records[2..]).await;
    let lines = wait_for_lines(&output, 4).await;
    assert_eq!(
        lines,
        [
            "Struct{id=1,name=ada}",
            "Struct{id=2,name=bob}",
            "Struct{id=3,name=cy,note=new}",
            "Struct{id=4,name=di}",
        ]
    );
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_registry_is_retried_then_fails_the_task_clearly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = kafka::unique_name("avro-no-registry");
    kafka::create_topic(&topic, 1).await;
    // Confluent's framing of schema id 1 with a one-byte payload.
    kafka::produce(&topic, &[(None, Some(vec![0, 0, 0, 0, 1, 2]))]).await;
    let nowhere = format!("http://127.0.0.1:{}", free_port());
    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let name = kafka::unique_name("no-registry-sink");
    client
        .create_connector(
            name.as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", dir.path().join("out.txt").to_str().expect("utf-8")),
                ("topics", &topic),
                ("value.converter", AVRO),
                ("value.converter.schema.registry.url", &nowhere),
                ("errors.retry.timeout", "1500"),
                ("errors.retry.delay.max.ms", "200"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");
    let failed = wait_for_failure(&client, &name).await;
    for part in [
        "Tolerance exceeded in error handler",
        "VALUE_CONVERTER",
        "127.0.0.1",
    ] {
        assert!(failed.trace.contains(part), "{part:?} in {}", failed.trace);
    }
    let counts = failed.error_counts.expect("error counts");
    assert!(counts.total_retries >= 2, "{counts:?}");
    assert_eq!(counts.total_record_errors, 1, "{counts:?}");
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_schema_id_fails_the_task_or_goes_to_the_dead_letter_queue() {
    let registry = TestRegistry::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let topic = kafka::unique_name("avro-unknown-id");
    let dlq = kafka::unique_name("avro-dlq");
    kafka::create_topic(&topic, 1).await;
    let converter = AvroConverter::new(
        &properties(&[("schema.registry.url", &registry.url())]),
        ConverterType::Value,
    )
    .expect("avro converter");
    let good = converter
        .from_connect_data(
            &topic,
            &mut Headers::new(),
            Some(&SchemaBuilder::string().build().expect("string")),
            &Value::String("fine".into()),
        )
        .await
        .expect("serialize")
        .expect("bytes");
    // Schema id 9999 was never registered.
    let unknown = vec![0, 0, 0, 0x27, 0x0f, 2, b'x'];
    kafka::produce(
        &topic,
        &[(None, Some(unknown.clone())), (None, Some(good.clone()))],
    )
    .await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let tolerant = kafka::unique_name("tolerant-avro");
    let strict = kafka::unique_name("strict-avro");
    let output = dir.path().join("tolerant.txt");
    for (name, file, extra) in [
        (
            &tolerant,
            output.clone(),
            vec![
                ("errors.tolerance", "all"),
                ("errors.deadletterqueue.topic.name", dlq.as_str()),
                ("errors.deadletterqueue.topic.replication.factor", "1"),
                ("errors.deadletterqueue.context.headers.enable", "true"),
            ],
        ),
        (&strict, dir.path().join("strict.txt"), vec![]),
    ] {
        let file = file.to_str().expect("utf-8").to_string();
        let mut config = vec![
            ("connector.class", "FileStreamSink"),
            ("file", file.as_str()),
            ("topics", topic.as_str()),
            ("value.converter", AVRO),
        ];
        let url = registry.url();
        config.push(("value.converter.schema.registry.url", url.as_str()));
        config.extend(extra);
        client
            .create_connector(name.as_str(), props(&config), v1::TargetState::Running)
            .await
            .expect("create sink");
    }
    // Tolerated: the bad record is in the dead letter queue, the good one in the file.
    assert_eq!(wait_for_lines(&output, 1).await, ["fine"]);
    let dead = kafka::consume(&dlq, 1, TIMEOUT);
    assert_eq!(dead.len(), 1);
    assert_eq!(dead[0].payload(), Some(unknown.as_slice()));
    // Not tolerated: the task fails and says which id it could not find.
    let failed = wait_for_failure(&client, &strict).await;
    assert!(failed.trace.contains("9999"), "{}", failed.trace);
    assert!(
        failed.trace.contains("Tolerance exceeded"),
        "{}",
        failed.trace
    );
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}
