//! Transformation chains configured with Kafka Connect's keys, end to end: they run in the
//! source path (before the converters, so the topic holds transformed bytes) and in the
//! sink path, predicates decide per record, and ValidateConnectorConfig reports chain
//! problems under the exact keys a user must fix.

use std::time::Duration;

use connect_proto::v1;
use connect_tests::connectd::{Connectd, Options};
use connect_tests::kafka;
use connect_tests::scenario::props;
use connect_tests::wait::eventually;

const TIMEOUT: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread")]
async fn source_and_sink_chains_transform_every_record() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in.txt");
    let output = dir.path().join("out.txt");
    std::fs::write(&input, "alpha\nbeta\nskip me\ngamma\n").expect("write input");
    let topic = kafka::unique_name("chain");
    let routed = format!("{topic}-routed");
    kafka::create_topic(&routed, 1).await;

    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    client
        .create_connector(
            kafka::unique_name("chain-source").as_str(),
            props(&[
                ("connector.class", "FileStreamSource"),
                ("file", input.to_str().expect("utf-8 path")),
                ("topic", &topic),
                (
                    "value.converter",
                    "org.apache.kafka.connect.json.JsonConverter",
                ),
                ("value.converter.schemas.enable", "false"),
                ("transforms", "hoist,origin,drop,route"),
                (
                    "transforms.hoist.type",
                    "org.apache.kafka.connect.transforms.HoistField$Value",
                ),
                ("transforms.hoist.field", "line"),
                ("transforms.origin.type", "InsertField$Value"),
                ("transforms.origin.static.field", "origin"),
                ("transforms.origin.static.value", "file"),
                ("transforms.drop.type", "Filter"),
                ("transforms.drop.predicate", "isSkip"),
                ("transforms.route.type", "RegexRouter"),
                ("transforms.route.regex", "(.*)"),
                ("transforms.route.replacement", "$1-routed"),
                ("predicates", "isSkip"),
                ("predicates.isSkip.type", "HasHeaderKey"),
                ("predicates.isSkip.name", "never-set"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create source");
    // The topic holds the transformed values, routed to the renamed topic. The filter's
    // predicate never matches, so nothing is dropped.
    let records = kafka::consume(&routed, 4, TIMEOUT);
    let values: Vec<String> = records.iter().map(kafka::text).collect();
    assert_eq!(
        values,
        [
            r#"{"line":"alpha","origin":"file"}"#,
            r#"{"line":"beta","origin":"file"}"#,
            r#"{"line":"skip me","origin":"file"}"#,
            r#"{"line":"gamma","origin":"file"}"#,
        ]
    );

    // The sink extracts the line again. Its filter is guarded by a negated predicate that
    // matches this topic, so it applies to no record and every line arrives.
    client
        .create_connector(
            kafka::unique_name("chain-sink").as_str(),
            props(&[
                ("connector.class", "FileStreamSink"),
                ("file", output.to_str().expect("utf-8 path")),
                ("topics", &routed),
                (
                    "value.converter",
                    "org.apache.kafka.connect.json.JsonConverter",
                ),
                ("value.converter.schemas.enable", "false"),
                ("transforms", "extract,dropOthers"),
                (
                    "transforms.extract.type",
                    "org.apache.kafka.connect.transforms.ExtractField$Value",
                ),
                ("transforms.extract.field", "line"),
                ("transforms.dropOthers.type", "Filter"),
                ("transforms.dropOthers.predicate", "ours"),
                ("transforms.dropOthers.negate", "true"),
                ("predicates", "ours"),
                (
                    "predicates.ours.type",
                    "org.apache.kafka.connect.transforms.predicates.TopicNameMatches",
                ),
                ("predicates.ours.pattern", ".*-routed"),
            ]),
            v1::TargetState::Running,
        )
        .await
        .expect("create sink");
    eventually("the extracted lines to reach the file", TIMEOUT, || {
        let output = output.clone();
        async move {
            let written = std::fs::read_to_string(&output).unwrap_or_default();
            if written == "alpha\nbeta\nskip me\ngamma\n" {
                Ok(())
            } else {
                Err(format!("file: {written:?}"))
            }
        }
    })
    .await;
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn validation_reports_chain_problems_per_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let connectd = Connectd::start(Options::new(&dir.path().join("data"))).await;
    let mut client = connectd.client().await;
    let response = client
        .validate_connector_config(
            "FileStreamSink",
            props(&[
                ("connector.class", "FileStreamSink"),
                ("topics", "t"),
                ("transforms", "mask,nope,cast"),
                ("transforms.mask.type", "MaskField$Value"),
                ("transforms.nope.type", "com.example.DoesNotExist"),
                ("transforms.cast.type", "Cast$Value"),
                ("transforms.cast.spec", "id:date"),
                ("transforms.cast.predicate", "missing"),
            ]),
        )
        .await
        .expect("validate");
    let errors = |key: &str| -> Vec<String> {
        response
            .configs
            .iter()
            .filter(|c| c.value.as_ref().is_some_and(|v| v.name == key))
            .flat_map(|c| {
                c.value
                    .as_ref()
                    .map(|v| v.errors.clone())
                    .unwrap_or_default()
            })
            .collect()
    };
    assert!(
        errors("transforms.mask.fields")
            .iter()
            .any(|e| e.contains("transforms.mask.fields") || e.contains("fields")),
        "{response:?}"
    );
    assert!(
        errors("transforms.nope.type")
            .iter()
            .any(|e| e.ends_with("Class com.example.DoesNotExist could not be found.")),
        "{response:?}"
    );
    assert!(!errors("transforms.cast.spec").is_empty(), "{response:?}");
    assert!(
        !errors("transforms.cast.predicate").is_empty(),
        "{response:?}"
    );
    assert!(response.error_count >= 4, "{response:?}");
    drop(client);
    let mut connectd = connectd;
    connectd.stop().await;
}
