//! Runs every vector of `fixtures/json_converter.jsonl` (generated with Apache Kafka Connect
//! 4.3's JsonConverter) through our JsonConverter. Cases are read from the file: no per-case
//! code, so new vectors of any family run as they are added. All must pass.

use std::collections::BTreeMap;

use connect_converters::json::JsonConverter;
use connect_converters::json::dom::{self, JsonNode};
use connect_core::{ConnectError, ConverterType, Properties, Schema, SyncConverter, Value};
use connect_tests::{fixtures, neutral};

const FIXTURE: &str = "json_converter.jsonl";

/// What Kafka Connect reported for a failing case.
struct ExpectedError<'a> {
    stage: &'a str,
    exception: &'a str,
    message: &'a str,
}

fn expected_error<'a>(node: &'a JsonNode<'a>) -> Option<ExpectedError<'a>> {
    if !matches!(node.get("error"), Some(JsonNode::Bool(true))) {
        return None;
    }
    Some(ExpectedError {
        stage: node.get("stage").and_then(JsonNode::text).unwrap_or(""),
        exception: node.get("exception").and_then(JsonNode::text).unwrap_or(""),
        message: node.get("message").and_then(JsonNode::text).unwrap_or(""),
    })
}

fn check_error(
    stage: &str,
    actual: &ConnectError,
    expected: &ExpectedError<'_>,
) -> Result<(), String> {
    if stage != expected.stage {
        return Err(format!(
            "failed at stage {stage} but Kafka failed at {}: {actual}",
            expected.stage
        ));
    }
    if actual.simple_class() != expected.exception || actual.message() != expected.message {
        return Err(format!(
            "error differs:\n  expected {}: {}\n  actual   {}: {}",
            expected.exception,
            expected.message,
            actual.simple_class(),
            actual.message()
        ));
    }
    Ok(())
}

fn converter_config(case: &JsonNode<'_>) -> Result<(Properties, ConverterType), String> {
    let Some(JsonNode::Object(members)) = case.get("config") else {
        return Err("case without config".to_string());
    };
    let mut props = Properties::new();
    let mut kind = ConverterType::Value;
    for (key, value) in members {
        match (key.as_ref(), value) {
            ("isKey", JsonNode::Bool(true)) => kind = ConverterType::Key,
            ("isKey", _) => {}
            (_, JsonNode::String(text)) => {
                props.insert(key.to_string(), text.to_string());
            }
            (_, other) => return Err(format!("non-string config value for {key}: {other:?}")),
        }
    }
    Ok((props, kind))
}

fn describe(schema: Option<&Schema>, value: &Value) -> String {
    format!("schema={schema:?}\n    value={value:?}")
}

fn run_serialize(
    converter: &JsonConverter,
    case: &JsonNode<'_>,
    expected: &JsonNode<'_>,
) -> Result<(), String> {
    let input = case.get("input").ok_or("case without input")?;
    let (schema, value) =
        neutral::decode_envelope(input, case.get("input_types")).map_err(|e| e.to_string())?;
    let result = converter.serialize(schema.as_ref(), &value);
    if let Some(error) = expected_error(expected) {
        return match result {
            Ok(bytes) => Err(format!(
                "expected {} but got output {:?}",
                error.message,
                bytes.map(|b| String::from_utf8_lossy(&b).into_owned())
            )),
            Err(actual) => check_error("fromConnectData", &actual, &error),
        };
    }
    let want = match expected.get("output") {
        Some(JsonNode::String(text)) => Some(text.as_bytes().to_vec()),
        Some(JsonNode::Null) => None,
        other => return Err(format!("unexpected expectation {other:?}")),
    };
    let got = result.map_err(|e| format!("unexpected error {}: {e}", e.simple_class()))?;
    if got != want {
        return Err(format!(
            "output differs\n  expected {:?}\n  actual   {:?}",
            want.map(|b| String::from_utf8_lossy(&b).into_owned()),
            got.map(|b| String::from_utf8_lossy(&b).into_owned())
        ));
    }
    Ok(())
}

fn run_deserialize(
    converter: &JsonConverter,
    case: &JsonNode<'_>,
    expected: &JsonNode<'_>,
) -> Result<(), String> {
    let input = match (
        case.get("input_hex").and_then(JsonNode::text),
        case.get("input"),
    ) {
        (Some(hex_text), _) => {
            Some(hex::decode(hex_text).map_err(|e| format!("bad input_hex: {e}"))?)
        }
        (None, Some(JsonNode::Null) | None) => None,
        (None, Some(JsonNode::String(text))) => Some(text.as_bytes().to_vec()),
        (None, Some(other)) => return Err(format!("unexpected input {other:?}")),
    };
    let result = converter.deserialize(input.as_deref());
    if let Some(error) = expected_error(expected) {
        return match result {
            Ok(actual) => Err(format!(
                "expected {} but got {}",
                error.message,
                describe(actual.schema.as_ref(), &actual.value)
            )),
            Err(actual) => check_error("toConnectData", &actual, &error),
        };
    }
    let (want_schema, want_value) = neutral::decode_envelope(expected, case.get("expected_types"))
        .map_err(|e| e.to_string())?;
    let got = result.map_err(|e| format!("unexpected error {}: {e}", e.simple_class()))?;
    if got.schema != want_schema || got.value != want_value {
        return Err(format!(
            "result differs\n  expected {}\n  actual   {}",
            describe(want_schema.as_ref(), &want_value),
            describe(got.schema.as_ref(), &got.value)
        ));
    }
    Ok(())
}

fn run_case(case: &JsonNode<'_>) -> Result<(), String> {
    let expected = case.get("expected").ok_or("case without expected")?;
    let (props, kind) = converter_config(case)?;
    let converter = match (JsonConverter::new(&props, kind), expected_error(expected)) {
        (Ok(converter), _) => converter,
        (Err(actual), Some(error)) => return check_error("configure", &actual, &error),
        (Err(actual), None) => return Err(format!("configure failed: {actual}")),
    };
    match case.get("direction").and_then(JsonNode::text) {
        Some("serialize") => run_serialize(&converter, case, expected),
        Some("deserialize") => run_deserialize(&converter, case, expected),
        other => Err(format!("unknown direction {other:?}")),
    }
}

#[test]
fn every_json_converter_vector_passes() {
    let lines = fixtures::lines(FIXTURE).expect("fixture readable");
    assert!(!lines.is_empty(), "{FIXTURE} holds no cases");
    let mut per_family: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for (line_no, line) in &lines {
        let case = match dom::parse(line.as_bytes()) {
            Ok(case) => case,
            Err(e) => {
                failures.push(format!("line {line_no}: not JSON: {e}"));
                continue;
            }
        };
        let id = case
            .get("id")
            .and_then(JsonNode::text)
            .unwrap_or("?")
            .to_string();
        let family = case
            .get("family")
            .and_then(JsonNode::text)
            .unwrap_or("?")
            .to_string();
        let description = case
            .get("description")
            .and_then(JsonNode::text)
            .unwrap_or("");
        let outcome = run_case(&case);
        let counts = per_family.entry(family).or_default();
        counts.0 += 1;
        if let Err(why) = outcome {
            counts.1 += 1;
            failures.push(format!("{id} ({description}): {why}"));
        }
    }
    for (family, (total, failed)) in &per_family {
        println!("{family:24} {:>4} passed of {total:>4}", total - failed);
    }
    assert!(
        failures.is_empty(),
        "{} of {} JsonConverter vectors failed:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
}
