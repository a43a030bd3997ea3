//! Runs every vector of `fixtures/avro_converter.jsonl` (generated with Confluent 7.0's
//! AvroConverter on a `MockSchemaRegistryClient`) through our AvroConverter on an in-memory
//! registry with the mock's id and version rules. Cases are read from the file: no per-case
//! code, so new vectors of any family run as they are added. All must pass.
//!
//! Per case: a fresh registry, the case's `preregister` schemas registered in order (their
//! ids and versions checked against the vector), then
//! - serialize: the bytes, the registered schema text (exactly), subject, id and version,
//!   the subjects in the registry, the Avro payload, and the Connect data read back;
//! - deserialize: the Connect data read from the given bytes, or the error.

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_converters::avro::{AvroConverter, AvroConverterConfig};
use connect_converters::json::dom::{self, JsonNode};
use connect_converters::schema_registry::SchemaRegistryClient;
use connect_converters::schema_registry::memory::InMemorySchemaRegistry;
use connect_core::{
    ConnectError, Converter, ConverterType, Headers, Properties, Schema, SchemaAndValue, Value,
};
use connect_tests::{fixtures, neutral};
use futures::executor::block_on;

const FIXTURE: &str = "avro_converter.jsonl";

fn text<'a>(node: &'a JsonNode<'a>, key: &str) -> Option<&'a str> {
    node.get(key).and_then(JsonNode::text)
}

fn int(node: &JsonNode<'_>, key: &str) -> Option<i64> {
    match node.get(key) {
        Some(JsonNode::Int(v)) => Some(i64::from(*v)),
        Some(JsonNode::Long(v)) => Some(*v),
        _ => None,
    }
}

/// What Confluent reported for a failing case.
fn is_error(node: &JsonNode<'_>) -> bool {
    matches!(node.get("error"), Some(JsonNode::Bool(true)))
}

fn check_error(stage: &str, actual: &ConnectError, expected: &JsonNode<'_>) -> Result<(), String> {
    let expected_stage = text(expected, "stage").unwrap_or("");
    if stage != expected_stage {
        return Err(format!(
            "failed at stage {stage} but Confluent failed at {expected_stage}: {actual}"
        ));
    }
    let exception = text(expected, "exception").unwrap_or("");
    // A Java exception without a message is recorded as null.
    let message = text(expected, "message").unwrap_or("");
    let mut problems = Vec::new();
    if actual.simple_class() != exception || actual.message() != message {
        problems.push(format!(
            "error differs:\n  expected {exception}: {message}\n  actual   {}: {}",
            actual.simple_class(),
            actual.message()
        ));
    }
    if let Some(cause_class) = text(expected, "cause_exception") {
        let cause_message = text(expected, "cause_message").unwrap_or("");
        match actual.cause() {
            Some(cause) if cause.class == cause_class && cause.message == cause_message => {}
            Some(cause) => problems.push(format!(
                "cause differs:\n  expected {cause_class}: {cause_message}\n  actual   {}: {}",
                cause.class, cause.message
            )),
            None => problems.push(format!(
                "expected a cause {cause_class}: {cause_message}, got none"
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

fn describe(schema: Option<&Schema>, value: &Value) -> String {
    format!("schema={schema:?}\n    value={value:?}")
}

/// Compares converter output with a neutral envelope (and its sidecars).
fn check_envelope(
    what: &str,
    actual: &SchemaAndValue,
    case: &JsonNode<'_>,
    envelope_holder: &JsonNode<'_>,
    envelope_key: &str,
) -> Result<(), String> {
    let envelope = envelope_holder
        .get(envelope_key)
        .ok_or_else(|| format!("expectation without {envelope_key}"))?;
    let types = envelope_holder
        .get(&format!("{envelope_key}_types"))
        .or_else(|| case.get(&format!("{envelope_key}_types")));
    let invalid = envelope_holder
        .get(&format!("{envelope_key}_invalid"))
        .is_some();
    if invalid {
        // The value breaks its own schema and is rendered leniently: compare the schema.
        let want = neutral::decode_schema(envelope.get("schema").unwrap_or(&JsonNode::Null))
            .map_err(|e| e.to_string())?;
        return if actual.schema == want {
            Ok(())
        } else {
            Err(format!(
                "{what} schema differs\n  expected {want:?}\n  actual   {:?}",
                actual.schema
            ))
        };
    }
    let (want_schema, want_value) =
        neutral::decode_envelope(envelope, types).map_err(|e| e.to_string())?;
    if actual.schema != want_schema || actual.value != want_value {
        return Err(format!(
            "{what} differs\n  expected {}\n  actual   {}",
            describe(want_schema.as_ref(), &want_value),
            describe(actual.schema.as_ref(), &actual.value)
        ));
    }
    Ok(())
}

fn converter_config(case: &JsonNode<'_>) -> Result<(Properties, ConverterType), String> {
    let Some(JsonNode::Object(members)) = case.get("config") else {
        return Err("case without config".to_string());
    };
    let mut props = Properties::new();
    for (key, value) in members {
        match value {
            JsonNode::String(v) => {
                props.insert(key.to_string(), v.to_string());
            }
            other => return Err(format!("non-string config value for {key}: {other:?}")),
        }
    }
    let kind = match case.get("isKey") {
        Some(JsonNode::Bool(true)) => ConverterType::Key,
        _ => ConverterType::Value,
    };
    Ok((props, kind))
}

/// Registers the case's `preregister` schemas, checking the ids and versions they get.
fn preregister(registry: &InMemorySchemaRegistry, case: &JsonNode<'_>) -> Result<(), String> {
    let Some(JsonNode::Array(entries)) = case.get("preregister") else {
        return Ok(());
    };
    for entry in entries {
        let subject = text(entry, "subject").ok_or("preregister entry without subject")?;
        let schema = text(entry, "schema").ok_or("preregister entry without schema")?;
        let registered = registry
            .register_now(subject, schema)
            .map_err(|e| format!("preregistering {subject} failed: {e}"))?;
        if registered.schema != schema {
            return Err(format!(
                "preregistered schema prints differently\n  expected {schema}\n  actual   {}",
                registered.schema
            ));
        }
        if let Some(id) = int(entry, "schema_id")
            && i64::from(registered.id) != id
        {
            return Err(format!(
                "preregistered id {} instead of {id}",
                registered.id
            ));
        }
        if let Some(version) = int(entry, "version")
            && i64::from(registered.version) != version
        {
            return Err(format!(
                "preregistered version {} instead of {version}",
                registered.version
            ));
        }
    }
    Ok(())
}

fn compare<T: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: T,
    actual: T,
) -> Result<(), String> {
    if expected == actual {
        Ok(())
    } else {
        Err(format!(
            "{what} differs\n  expected {expected:?}\n  actual   {actual:?}"
        ))
    }
}

fn run_serialize(
    converter: &AvroConverter,
    registry: &InMemorySchemaRegistry,
    topic: &str,
    case: &JsonNode<'_>,
    expected: &JsonNode<'_>,
) -> Result<(), String> {
    let input = case.get("input").ok_or("case without input")?;
    let (schema, value) =
        neutral::decode_envelope(input, case.get("input_types")).map_err(|e| e.to_string())?;
    let result =
        block_on(converter.from_connect_data(topic, &mut Headers::new(), schema.as_ref(), &value));
    if is_error(expected) {
        return match result {
            Ok(bytes) => Err(format!(
                "expected an error but got {:?}",
                bytes.map(hex::encode)
            )),
            Err(actual) => check_error("fromConnectData", &actual, expected),
        };
    }
    let bytes = result.map_err(|e| {
        format!(
            "unexpected error {}: {e} (cause {:?})",
            e.simple_class(),
            e.cause()
        )
    })?;
    let want_bytes = text(expected, "bytes_hex");
    compare(
        "bytes",
        want_bytes.map(str::to_string),
        bytes.as_ref().map(hex::encode),
    )?;
    let mut problems = Vec::new();
    if let Some(bytes) = &bytes {
        let id = i32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
        if let Some(want) = int(expected, "schema_id") {
            problems.extend(compare("schema id", want, i64::from(id)).err());
        }
        let registered = block_on(registry.schema_by_id(id))
            .map_err(|e| format!("written id {id} is not in the registry: {e}"))?;
        if let Some(want) = text(expected, "registered_schema") {
            problems.extend(compare("registered schema", want, registered.as_str()).err());
        }
        if let Some(subject) = text(expected, "subject") {
            match block_on(registry.lookup(subject, &registered)) {
                Ok(found) => {
                    problems.extend(compare("id under subject", id, found.id).err());
                    if let Some(version) = int(expected, "version") {
                        problems
                            .extend(compare("version", version, i64::from(found.version)).err());
                    }
                }
                Err(e) => problems.push(format!("schema not found under subject {subject}: {e}")),
            }
        }
        if let Some(want) = text(expected, "avro_payload_hex") {
            problems
                .extend(compare("avro payload", want.to_string(), hex::encode(&bytes[5..])).err());
        }
    }
    if let Some(JsonNode::Array(subjects)) = expected.get("registry_subjects") {
        let want: Vec<String> = subjects
            .iter()
            .filter_map(|s| s.text().map(str::to_string))
            .collect();
        problems.extend(compare("registry subjects", want, registry.subjects()).err());
    }
    if expected.get("roundtrip").is_some() {
        match block_on(converter.to_connect_data(topic, &Headers::new(), bytes.as_deref())) {
            Ok(back) => problems
                .extend(check_envelope("roundtrip", &back, case, expected, "roundtrip").err()),
            Err(e) => problems.push(format!(
                "roundtrip failed: {}: {e} (cause {:?})",
                e.simple_class(),
                e.cause()
            )),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n  "))
    }
}

fn run_deserialize(
    converter: &AvroConverter,
    topic: &str,
    case: &JsonNode<'_>,
    expected: &JsonNode<'_>,
) -> Result<(), String> {
    let input = case.get("input").ok_or("case without input")?;
    let bytes = match input.get("bytes_hex") {
        Some(JsonNode::String(hex_text)) => {
            Some(hex::decode(hex_text.as_ref()).map_err(|e| format!("bad bytes_hex: {e}"))?)
        }
        _ => None,
    };
    let result = block_on(converter.to_connect_data(topic, &Headers::new(), bytes.as_deref()));
    if is_error(expected) {
        return match result {
            Ok(actual) => Err(format!(
                "expected an error but got {}",
                describe(actual.schema.as_ref(), &actual.value)
            )),
            Err(actual) => check_error("toConnectData", &actual, expected),
        };
    }
    let actual = result.map_err(|e| {
        format!(
            "unexpected error {}: {e} (cause {:?})",
            e.simple_class(),
            e.cause()
        )
    })?;
    check_envelope("result", &actual, case, expected, "result")
}

fn run_case(case: &JsonNode<'_>) -> Result<(), String> {
    let expected = case.get("expected").ok_or("case without expected")?;
    let topic = text(case, "topic").ok_or("case without topic")?;
    let (props, kind) = converter_config(case)?;
    let registry = Arc::new(InMemorySchemaRegistry::new());
    preregister(&registry, case)?;
    let config = match (AvroConverterConfig::from_props(&props), is_error(expected)) {
        (Ok(config), _) => config,
        (Err(actual), true) => return check_error("configure", &actual, expected),
        (Err(actual), false) => return Err(format!("configure failed: {actual}")),
    };
    let converter = AvroConverter::with_registry(&config, kind, registry.clone());
    match text(case, "direction") {
        Some("serialize") => run_serialize(&converter, &registry, topic, case, expected),
        Some("deserialize") => run_deserialize(&converter, topic, case, expected),
        other => Err(format!("unknown direction {other:?}")),
    }
}

#[test]
fn every_avro_converter_vector_passes() {
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
        let id = text(&case, "id").unwrap_or("?").to_string();
        let family = text(&case, "family").unwrap_or("?").to_string();
        let description = text(&case, "description").unwrap_or("");
        let outcome = run_case(&case);
        let counts = per_family.entry(family).or_default();
        counts.0 += 1;
        if let Err(why) = outcome {
            counts.1 += 1;
            failures.push(format!("{id} ({description}):\n  {why}"));
        }
    }
    for (family, (total, failed)) in &per_family {
        println!("{family:16} {:>4} passed of {total:>4}", total - failed);
    }
    println!(
        "{} of {} AvroConverter vectors passed",
        lines.len() - failures.len(),
        lines.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} AvroConverter vectors failed:\n{}",
        failures.len(),
        lines.len(),
        failures.join("\n")
    );
}
