//! Runs every vector of `fixtures/transforms.jsonl` (generated with Apache Kafka Connect
//! 4.3's SMTs and predicates) through our transformations, found by class name in the
//! plugin registry and applied through the same stage logic as a connector's chain
//! (`predicate.test(record) XOR negate`). Cases are read from the file: no per-case code.
//!
//! Set `SMT_FAMILY` to a comma-separated list of families (`Cast`, `InsertField$Value`,
//! `predicate:HasHeaderKey`, ...) to run only those; a name without `$`/`+` also selects
//! its `$Key`/`$Value` and `+Predicate` families. By default every case runs and all must
//! pass. `SMT_FIXTURE` names another vector file (absolute, or relative to `fixtures/`),
//! e.g. the held-back quarter of the generated cases.

use std::collections::BTreeMap;

use connect_converters::json::dom::{self, JsonNode};
use connect_core::plugin::{PluginFactory, PluginKind, PluginRegistry};
use connect_core::{ConnectError, ConnectRecord, Properties, Schema, Value};
use connect_tests::{fixtures, lenient, neutral};
use connect_transforms::chain::TransformStage;
use serde_json::Value as Json;

const FIXTURE: &str = "transforms.jsonl";
const FAMILY_ENV: &str = "SMT_FAMILY";
const FIXTURE_ENV: &str = "SMT_FIXTURE";
const STAGE_ALIAS: &str = "conformance";

/// What our code did with a case.
enum Outcome {
    Record(Box<ConnectRecord>),
    Filtered,
    Result(bool),
    Error(&'static str, ConnectError),
}

/// What Kafka Connect reported for a failing case.
struct ExpectedError<'a> {
    stage: &'a str,
    exception: &'a str,
    message: &'a str,
    cause: Option<(&'a str, &'a str)>,
}

fn text<'a>(node: &'a JsonNode<'a>, key: &str) -> &'a str {
    node.get(key).and_then(JsonNode::text).unwrap_or("")
}

fn expected_error<'a>(node: &'a JsonNode<'a>) -> Option<ExpectedError<'a>> {
    if !matches!(node.get("error"), Some(JsonNode::Bool(true))) {
        return None;
    }
    let cause = node
        .get("cause_exception")
        .and_then(JsonNode::text)
        .map(|class| (class, text(node, "cause_message")));
    Some(ExpectedError {
        stage: text(node, "stage"),
        exception: text(node, "exception"),
        message: text(node, "message"),
        cause,
    })
}

/// Whether our message says what Kafka's does. Kafka messages that print a Java object's
/// identity (`Foo@<identity>`, normalized by the generator) are compared around that token,
/// which may hold anything meaningful in ours (e.g. the field name).
fn messages_match(expected: &str, actual: &str) -> bool {
    let Some(at) = expected.find("@<identity>") else {
        return expected == actual;
    };
    let start = expected[..at]
        .rfind(char::is_whitespace)
        .map_or(0, |i| i + 1);
    let end = expected[at..]
        .find(char::is_whitespace)
        .map_or(expected.len(), |i| at + i);
    let (prefix, suffix) = (&expected[..start], &expected[end..]);
    actual.len() > prefix.len() + suffix.len()
        && actual.starts_with(prefix)
        && actual.ends_with(suffix)
}

fn check_error(
    stage: &str,
    actual: &ConnectError,
    expected: &ExpectedError<'_>,
) -> Result<(), String> {
    let mut problems = Vec::new();
    if stage != expected.stage {
        problems.push(format!(
            "failed at stage {stage} but Kafka failed at {}",
            expected.stage
        ));
    }
    if actual.simple_class() != expected.exception
        || !messages_match(expected.message, actual.message())
    {
        problems.push(format!(
            "error differs:\n    expected {}: {}\n    actual   {}: {}",
            expected.exception,
            expected.message,
            actual.simple_class(),
            actual.message()
        ));
    }
    if let Some((class, message)) = expected.cause {
        let matches = actual
            .cause()
            .is_some_and(|c| c.class == class && c.message == message);
        if !matches {
            problems.push(format!(
                "cause differs:\n    expected {class}: {message}\n    actual   {}",
                actual
                    .cause()
                    .map_or("(none)".to_string(), |c| c.to_string())
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

fn config(node: Option<&JsonNode<'_>>) -> Result<Properties, String> {
    let Some(JsonNode::Object(members)) = node else {
        return Err("case without a config object".to_string());
    };
    members
        .iter()
        .map(|(key, value)| match value {
            JsonNode::String(text) => Ok((key.to_string(), text.to_string())),
            other => Err(format!("non-string config value for {key}: {other:?}")),
        })
        .collect()
}

/// Instantiates the transformation (and its predicate) through the registry, as a
/// connector's chain would, and applies it.
fn run_transformation(
    registry: &PluginRegistry,
    case: &JsonNode<'_>,
    class: &str,
    record: ConnectRecord,
) -> Result<Outcome, String> {
    let plugin = registry
        .find(class, &[PluginKind::Transformation])
        .ok_or_else(|| format!("no transformation registered as {class}"))?;
    if plugin.class_name != class {
        return Err(format!("{class} resolved to {}", plugin.class_name));
    }
    let PluginFactory::Transformation(create) = plugin.factory else {
        return Err(format!("{class} is not a transformation factory"));
    };
    let transformation = match create(&config(case.get("config"))?) {
        Ok(t) => t,
        Err(e) => return Ok(Outcome::Error("configure", e)),
    };
    let mut stage = TransformStage::new(STAGE_ALIAS, plugin.class_name, transformation);
    if let Some(predicate) = case.get("predicate") {
        let predicate_class = text(predicate, "class");
        let predicate_plugin = registry
            .find(predicate_class, &[PluginKind::Predicate])
            .ok_or_else(|| format!("no predicate registered as {predicate_class}"))?;
        let PluginFactory::Predicate(create) = predicate_plugin.factory else {
            return Err(format!("{predicate_class} is not a predicate factory"));
        };
        let negate = matches!(predicate.get("negate"), Some(JsonNode::Bool(true)));
        match create(&config(predicate.get("config"))?) {
            Ok(p) => stage = stage.with_predicate(STAGE_ALIAS, p, negate),
            Err(e) => return Ok(Outcome::Error("predicate_configure", e)),
        }
    }
    Ok(match stage.apply(record) {
        Ok(Some(out)) => Outcome::Record(Box::new(out)),
        Ok(None) => Outcome::Filtered,
        Err(e) => Outcome::Error("apply", e),
    })
}

fn run_predicate(
    registry: &PluginRegistry,
    case: &JsonNode<'_>,
    class: &str,
    record: &ConnectRecord,
) -> Result<Outcome, String> {
    let plugin = registry
        .find(class, &[PluginKind::Predicate])
        .ok_or_else(|| format!("no predicate registered as {class}"))?;
    let PluginFactory::Predicate(create) = plugin.factory else {
        return Err(format!("{class} is not a predicate factory"));
    };
    let predicate = match create(&config(case.get("config"))?) {
        Ok(p) => p,
        Err(e) => return Ok(Outcome::Error("configure", e)),
    };
    Ok(match predicate.test(record) {
        Ok(result) => Outcome::Result(result),
        Err(e) => Outcome::Error("test", e),
    })
}

/// Compares one part (key, value or a header value) of a record. Parts Kafka marks
/// `*_invalid` cannot be decoded strictly; their schema is compared decoded and their
/// payload in the neutral JSON form, as Kafka's generator rendered it.
fn compare_part(
    name: &str,
    expected: &JsonNode<'_>,
    expected_json: &Json,
    schema: Option<&Schema>,
    value: &Value,
) -> Result<(), String> {
    let envelope = expected
        .get(name)
        .ok_or_else(|| format!("expected record without {name}"))?;
    let equal = if expected.get(&format!("{name}_invalid")).is_some() {
        let schema_node = envelope.get("schema").ok_or("envelope without schema")?;
        let want_schema = neutral::decode_schema(schema_node).map_err(|e| e.to_string())?;
        let want_payload = expected_json
            .get(name)
            .and_then(|e| e.get("payload"))
            .ok_or("envelope without payload")?;
        want_schema.as_ref() == schema
            && lenient::equivalent(&lenient::payload(schema, value), want_payload)
    } else {
        let types = expected.get(&format!("{name}_types"));
        let (want_schema, want_value) =
            neutral::decode_envelope(envelope, types).map_err(|e| e.to_string())?;
        want_schema.as_ref() == schema && want_value == *value
    };
    if equal {
        return Ok(());
    }
    let mut diff = format!(
        "{name} differs:\n    expected {}\n    actual   {}",
        expected_json.get(name).unwrap_or(&Json::Null),
        lenient::envelope(schema, value)
    );
    if schema.is_none() {
        let want_types = expected_json
            .get(format!("{name}_types"))
            .map_or("(default JSON rules)".to_string(), Json::to_string);
        diff.push_str(&format!(
            "\n    expected types {want_types}\n    actual types   {}",
            lenient::types(value)
        ));
    }
    Err(diff)
}

fn compare_record(
    expected: &JsonNode<'_>,
    expected_json: &Json,
    actual: &ConnectRecord,
) -> Result<(), String> {
    let mut diffs = Vec::new();
    let want_topic = text(expected, "topic");
    if want_topic != actual.topic {
        diffs.push(format!(
            "topic differs: expected {want_topic:?}, actual {:?}",
            actual.topic
        ));
    }
    let want_partition = expected_json.get("kafkaPartition").and_then(Json::as_i64);
    if want_partition != actual.kafka_partition.map(i64::from) {
        diffs.push(format!(
            "kafkaPartition differs: expected {want_partition:?}, actual {:?}",
            actual.kafka_partition
        ));
    }
    let want_timestamp = expected_json.get("timestamp").and_then(Json::as_i64);
    if want_timestamp != actual.timestamp {
        diffs.push(format!(
            "timestamp differs: expected {want_timestamp:?}, actual {:?}",
            actual.timestamp
        ));
    }
    for (name, schema, value) in [
        ("key", actual.key_schema.as_ref(), &actual.key),
        ("value", actual.value_schema.as_ref(), &actual.value),
    ] {
        if let Err(diff) = compare_part(name, expected, expected_json, schema, value) {
            diffs.push(diff);
        }
    }
    let want_headers: Vec<&JsonNode<'_>> = match expected.get("headers") {
        Some(JsonNode::Array(items)) => items.iter().collect(),
        _ => Vec::new(),
    };
    let want_headers_json = expected_json
        .get("headers")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let actual_headers: Vec<_> = actual.headers.iter().collect();
    if want_headers.len() != actual_headers.len() {
        let rendered: Vec<Json> = actual_headers
            .iter()
            .map(|h| {
                serde_json::json!({"key": h.key, "value": lenient::envelope(h.schema.as_ref(), &h.value)})
            })
            .collect();
        diffs.push(format!(
            "headers differ:\n    expected {}\n    actual   {}",
            Json::Array(want_headers_json.clone()),
            Json::Array(rendered)
        ));
    } else {
        for (i, (want, got)) in want_headers.iter().zip(&actual_headers).enumerate() {
            let want_json = want_headers_json.get(i).unwrap_or(&Json::Null);
            let want_key = text(want, "key");
            if want_key != got.key {
                diffs.push(format!(
                    "header {i} key differs: expected {want_key:?}, actual {:?}",
                    got.key
                ));
            }
            if let Err(diff) =
                compare_part("value", want, want_json, got.schema.as_ref(), &got.value)
            {
                diffs.push(format!("header {i} ({want_key}) {diff}"));
            }
        }
    }
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(diffs.join("\n  "))
    }
}

fn check_outcome(
    outcome: Outcome,
    expected: &JsonNode<'_>,
    expected_json: &Json,
) -> Result<(), String> {
    if let Some(error) = expected_error(expected) {
        return match outcome {
            Outcome::Error(stage, actual) => check_error(stage, &actual, &error),
            Outcome::Filtered => Err(format!(
                "expected {}: {} but the record was filtered",
                error.exception, error.message
            )),
            Outcome::Result(result) => Err(format!(
                "expected {}: {} but the predicate returned {result}",
                error.exception, error.message
            )),
            Outcome::Record(record) => Err(format!(
                "expected {}: {} but got a record with value {}",
                error.exception,
                error.message,
                lenient::envelope(record.value_schema.as_ref(), &record.value)
            )),
        };
    }
    match outcome {
        Outcome::Error(stage, actual) => Err(format!(
            "unexpected error at stage {stage}: {}: {}",
            actual.simple_class(),
            actual.message()
        )),
        Outcome::Filtered => match expected.get("filtered") {
            Some(JsonNode::Bool(true)) => Ok(()),
            _ => Err("the record was filtered but Kafka kept it".to_string()),
        },
        Outcome::Result(result) => match expected.get("result") {
            Some(JsonNode::Bool(want)) if *want == result => Ok(()),
            other => Err(format!("predicate returned {result}, expected {other:?}")),
        },
        Outcome::Record(record) => {
            if matches!(expected.get("filtered"), Some(JsonNode::Bool(true))) {
                return Err("Kafka filtered the record but it was kept".to_string());
            }
            compare_record(expected, expected_json, &record)
        }
    }
}

fn run_case(
    registry: &PluginRegistry,
    case: &JsonNode<'_>,
    case_json: &Json,
) -> Result<(), String> {
    let expected = case.get("expected").ok_or("case without expected")?;
    let expected_json = case_json.get("expected").ok_or("case without expected")?;
    let input = case.get("input").ok_or("case without input")?;
    let record = neutral::decode_record(input).map_err(|e| format!("bad input: {e}"))?;
    let class = text(case, "transform");
    let outcome = match text(case, "kind") {
        "transformation" => run_transformation(registry, case, class, record)?,
        "predicate" => run_predicate(registry, case, class, &record)?,
        other => return Err(format!("unknown kind {other:?}")),
    };
    check_outcome(outcome, expected, expected_json)
}

/// Whether `family` is selected by the `SMT_FAMILY` filter (all when unset).
fn selected(filter: &[String], family: &str) -> bool {
    filter.is_empty()
        || filter.iter().any(|wanted| {
            family == wanted
                || family
                    .strip_prefix(wanted.as_str())
                    .is_some_and(|rest| rest.starts_with('$') || rest.starts_with('+'))
        })
}

#[test]
fn every_transforms_vector_passes() {
    let filter: Vec<String> = std::env::var(FAMILY_ENV)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect();
    let registry = PluginRegistry::new(connect_transforms::plugins());
    let fixture = std::env::var(FIXTURE_ENV).unwrap_or_else(|_| FIXTURE.to_string());
    let lines = fixtures::lines(&fixture).expect("fixture readable");
    assert!(!lines.is_empty(), "{fixture} holds no cases");
    let mut per_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut ran = 0;
    for (line_no, line) in &lines {
        let (case, case_json) = match (
            dom::parse(line.as_bytes()),
            serde_json::from_str::<Json>(line),
        ) {
            (Ok(case), Ok(json)) => (case, json),
            (Err(e), _) => {
                failures.push(format!("line {line_no}: not JSON: {e}"));
                continue;
            }
            (_, Err(e)) => {
                failures.push(format!("line {line_no}: not JSON: {e}"));
                continue;
            }
        };
        let family = text(&case, "family").to_string();
        if !selected(&filter, &family) {
            continue;
        }
        ran += 1;
        let outcome = run_case(&registry, &case, &case_json);
        let counts = per_family.entry(family.clone()).or_default();
        counts.0 += 1;
        if let Err(why) = outcome {
            counts.1 += 1;
            failures.push(format!(
                "{} [{family}] ({}):\n  {why}",
                text(&case, "id"),
                text(&case, "description")
            ));
        }
    }
    assert!(
        ran > 0,
        "{FAMILY_ENV}={} selects no case of {fixture}",
        filter.join(",")
    );
    println!("{:40} {:>6} {:>6}", "family", "passed", "total");
    for (family, (total, failed)) in &per_family {
        println!("{family:40} {:>6} {total:>6}", total - failed);
    }
    let failed: usize = per_family.values().map(|(_, f)| f).sum();
    println!("{:40} {:>6} {ran:>6}", "all", ran - failed);
    for failure in &failures {
        println!("\nFAILED {failure}");
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} transforms vectors failed (details above)",
        failures.len()
    );
}

#[test]
fn identity_hashes_in_kafka_messages_match_any_token() {
    let expected = "Invalid value null for configuration static.value: No value specified for static field: org.apache.kafka.connect.transforms.InsertField$InsertionSpec@<identity>";
    assert!(messages_match(
        expected,
        "Invalid value null for configuration static.value: No value specified for static field: env"
    ));
    assert!(!messages_match(
        expected,
        "Invalid value null for configuration static.value: No value specified for static field: "
    ));
    assert!(!messages_match(expected, "something else"));
    assert!(selected(&["Cast".to_string()], "Cast$Value"));
    assert!(selected(&["Filter".to_string()], "Filter+HasHeaderKey"));
    assert!(!selected(&["Timestamp".to_string()], "TimestampRouter"));
}
