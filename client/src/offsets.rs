//! Connector offsets as Kafka Connect's KIP-875 JSON.
//!
//! Users already have offsets in the shape of Kafka Connect's
//! `GET/PATCH /connectors/{name}/offsets` bodies:
//! `{"offsets": [{"partition": {...}, "offset": {...} | null}]}`. These functions convert
//! that JSON to and from [`v1::ConnectorOffset`] (whose maps are `google.protobuf.Struct`),
//! so `connectctl offsets get` prints exactly what `offsets alter --file` accepts.

use connect_proto::v1;
use prost_types::{ListValue, Struct, Value, value::Kind};
use serde_json::{Map, Number};

/// The largest integer a protobuf `Struct` number (a double) holds exactly, 2^53.
const MAX_EXACT_INTEGER: u64 = 1 << 53;

/// Keys of sink offsets that the contract lets a client send as decimal strings when
/// their value is too large for a double.
const SINK_INTEGER_KEYS: [&str; 2] = ["kafka_partition", "kafka_offset"];

/// Why a KIP-875 offsets document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OffsetsJsonError {
    /// The text is not JSON.
    #[error("invalid JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The JSON does not have the KIP-875 shape; the message says where.
    #[error(
        "{0}; expected {{\"offsets\": [{{\"partition\": {{...}}, \"offset\": {{...}} or null}}]}}"
    )]
    Shape(String),
    /// An integer that a protobuf `Struct` (doubles only) cannot carry exactly.
    #[error(
        "{path} is {number}, which cannot be sent exactly (protobuf Struct numbers are doubles, exact up to 2^53)"
    )]
    InexactNumber {
        /// Where the number is, e.g. `offsets[0].offset.position`.
        path: String,
        /// The number as written.
        number: String,
    },
}

/// Reads a KIP-875 offsets document (`{"offsets": [...]}`) into the messages
/// `AlterConnectorOffsets` takes.
///
/// A missing or `null` `offset` resets its partition, as in Kafka Connect. Integers beyond
/// 2^53 are refused, except `kafka_partition` and `kafka_offset`, which are sent as decimal
/// strings as the contract allows.
pub fn offsets_from_json(text: &str) -> Result<Vec<v1::ConnectorOffset>, OffsetsJsonError> {
    let document: serde_json::Value = serde_json::from_str(text)?;
    let shape = |message: String| OffsetsJsonError::Shape(message);
    let serde_json::Value::Object(mut document) = document else {
        return Err(shape("the document is not an object".to_owned()));
    };
    if let Some(key) = document.keys().find(|k| *k != "offsets") {
        return Err(shape(format!("unexpected top-level key {key:?}")));
    }
    let Some(serde_json::Value::Array(entries)) = document.remove("offsets") else {
        return Err(shape("`offsets` is missing or not an array".to_owned()));
    };
    let mut offsets = Vec::with_capacity(entries.len());
    for (i, entry) in entries.into_iter().enumerate() {
        let serde_json::Value::Object(mut entry) = entry else {
            return Err(shape(format!("offsets[{i}] is not an object")));
        };
        if let Some(key) = entry.keys().find(|k| *k != "partition" && *k != "offset") {
            return Err(shape(format!("offsets[{i}] has an unexpected key {key:?}")));
        }
        let partition = match entry.remove("partition") {
            Some(serde_json::Value::Object(map)) => {
                json_to_struct(map, &format!("offsets[{i}].partition"))?
            }
            _ => {
                return Err(shape(format!(
                    "offsets[{i}].partition is missing or not an object"
                )));
            }
        };
        let offset = match entry.remove("offset") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Object(map)) => {
                Some(json_to_struct(map, &format!("offsets[{i}].offset"))?)
            }
            Some(_) => {
                return Err(shape(format!(
                    "offsets[{i}].offset is neither an object nor null"
                )));
            }
        };
        offsets.push(v1::ConnectorOffset {
            partition: Some(partition),
            offset,
        });
    }
    Ok(offsets)
}

/// Writes offsets as a KIP-875 document, `{"offsets": [{"partition": ..., "offset": ...}]}`,
/// the body Kafka Connect returns from `GET /connectors/{name}/offsets`.
pub fn offsets_to_json(offsets: &[v1::ConnectorOffset]) -> serde_json::Value {
    let entries = offsets
        .iter()
        .map(|offset| {
            serde_json::json!({
                "partition": offset.partition.as_ref().map_or(
                    serde_json::Value::Object(Map::new()),
                    struct_to_json,
                ),
                "offset": offset.offset.as_ref().map_or(serde_json::Value::Null, struct_to_json),
            })
        })
        .collect();
    serde_json::json!({ "offsets": serde_json::Value::Array(entries) })
}

/// A protobuf `Struct` as the JSON object it stands for. Whole numbers up to 2^53 print
/// as integers (`1234`, not `1234.0`), as Kafka Connect prints them.
pub fn struct_to_json(value: &Struct) -> serde_json::Value {
    serde_json::Value::Object(
        value
            .fields
            .iter()
            .map(|(k, v)| (k.clone(), value_to_json(v)))
            .collect(),
    )
}

/// One `google.protobuf.Value` as JSON; an unset kind is `null`, and so are the
/// non-finite numbers JSON cannot express.
fn value_to_json(value: &Value) -> serde_json::Value {
    match &value.kind {
        None | Some(Kind::NullValue(_)) => serde_json::Value::Null,
        Some(Kind::BoolValue(b)) => serde_json::Value::Bool(*b),
        Some(Kind::StringValue(s)) => serde_json::Value::String(s.clone()),
        Some(Kind::NumberValue(n)) => number_to_json(*n),
        Some(Kind::StructValue(s)) => struct_to_json(s),
        Some(Kind::ListValue(list)) => {
            serde_json::Value::Array(list.values.iter().map(value_to_json).collect())
        }
    }
}

/// A double as a JSON number, integral when it is a whole number within 2^53.
fn number_to_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() <= MAX_EXACT_INTEGER as f64 {
        // Exact: |n| <= 2^53 fits an i64 and has no fraction.
        serde_json::Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map_or(serde_json::Value::Null, serde_json::Value::Number)
    }
}

/// A JSON object as a protobuf `Struct`; `path` names it in errors.
fn json_to_struct(
    map: Map<String, serde_json::Value>,
    path: &str,
) -> Result<Struct, OffsetsJsonError> {
    let mut fields = std::collections::BTreeMap::new();
    for (key, value) in map {
        let value = json_to_value(value, &format!("{path}.{key}"), &key)?;
        fields.insert(key, value);
    }
    Ok(Struct { fields })
}

/// A JSON value as a protobuf `Value`; `key` is the name of the field holding it.
fn json_to_value(
    value: serde_json::Value,
    path: &str,
    key: &str,
) -> Result<Value, OffsetsJsonError> {
    let kind = match value {
        serde_json::Value::Null => Kind::NullValue(0),
        serde_json::Value::Bool(b) => Kind::BoolValue(b),
        serde_json::Value::String(s) => Kind::StringValue(s),
        serde_json::Value::Number(n) => number_kind(&n, path, key)?,
        serde_json::Value::Array(items) => Kind::ListValue(ListValue {
            values: items
                .into_iter()
                .enumerate()
                .map(|(i, item)| json_to_value(item, &format!("{path}[{i}]"), key))
                .collect::<Result<_, _>>()?,
        }),
        serde_json::Value::Object(map) => Kind::StructValue(json_to_struct(map, path)?),
    };
    Ok(Value { kind: Some(kind) })
}

/// The `Struct` form of a JSON number: a double when exact, a decimal string for large
/// sink offsets, an error otherwise.
fn number_kind(n: &Number, path: &str, key: &str) -> Result<Kind, OffsetsJsonError> {
    let magnitude = n.as_u64().or_else(|| n.as_i64().map(i64::unsigned_abs));
    match magnitude {
        Some(m) if m > MAX_EXACT_INTEGER => {
            if SINK_INTEGER_KEYS.contains(&key) {
                Ok(Kind::StringValue(n.to_string()))
            } else {
                Err(OffsetsJsonError::InexactNumber {
                    path: path.to_owned(),
                    number: n.to_string(),
                })
            }
        }
        _ => Ok(Kind::NumberValue(n.as_f64().unwrap_or(f64::NAN))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_source_and_sink_offsets_and_null_resets() {
        let offsets = offsets_from_json(
            r#"{"offsets": [
                {"partition": {"filename": "/data/in.txt"}, "offset": {"position": 1234}},
                {"partition": {"kafka_topic": "orders", "kafka_partition": 3}, "offset": null},
                {"partition": {"kafka_topic": "orders", "kafka_partition": 4}}
            ]}"#,
        )
        .unwrap();
        assert_eq!(offsets.len(), 3);
        let position = &offsets[0].offset.as_ref().unwrap().fields["position"];
        assert_eq!(position.kind, Some(Kind::NumberValue(1234.0)));
        assert!(offsets[1].offset.is_none());
        assert!(offsets[2].offset.is_none());
    }

    #[test]
    fn round_trips_through_kafkas_json_shape() {
        let text = r#"{"offsets":[{"offset":{"nested":{"list":[1,"a",true,null]},"position":1234,"ratio":0.5},"partition":{"filename":"/in"}},{"offset":null,"partition":{"kafka_partition":0,"kafka_topic":"t"}}]}"#;
        let offsets = offsets_from_json(text).unwrap();
        assert_eq!(offsets_to_json(&offsets).to_string(), text);
    }

    #[test]
    fn large_sink_offsets_become_decimal_strings() {
        let offsets = offsets_from_json(
            r#"{"offsets": [{"partition": {"kafka_topic": "t", "kafka_partition": 0},
                "offset": {"kafka_offset": 9007199254740993}}]}"#,
        )
        .unwrap();
        let offset = &offsets[0].offset.as_ref().unwrap().fields["kafka_offset"];
        assert_eq!(
            offset.kind,
            Some(Kind::StringValue("9007199254740993".to_owned()))
        );
    }

    #[test]
    fn other_large_integers_are_refused_with_their_path() {
        let err = offsets_from_json(
            r#"{"offsets": [{"partition": {"f": "x"}, "offset": {"position": 9007199254740993}}]}"#,
        )
        .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("offsets[0].offset.position is 9007199254740993"),
            "{err}"
        );
    }

    #[test]
    fn wrong_shapes_say_where() {
        for (text, expected) in [
            ("[]", "not an object"),
            (r#"{"offset": []}"#, "unexpected top-level key"),
            (r#"{"offsets": {}}"#, "not an array"),
            (r#"{"offsets": [1]}"#, "offsets[0] is not an object"),
            (r#"{"offsets": [{"offset": {}}]}"#, "offsets[0].partition"),
            (
                r#"{"offsets": [{"partition": {}, "offset": 1}]}"#,
                "neither",
            ),
            (
                r#"{"offsets": [{"partition": {}, "x": 1}]}"#,
                "unexpected key",
            ),
        ] {
            let err = offsets_from_json(text).unwrap_err();
            assert!(err.to_string().contains(expected), "{text}: {err}");
        }
        assert!(matches!(
            offsets_from_json("{").unwrap_err(),
            OffsetsJsonError::Json(_)
        ));
    }

    #[test]
    fn whole_doubles_print_as_integers_and_others_as_doubles() {
        assert_eq!(number_to_json(3.0).to_string(), "3");
        assert_eq!(number_to_json(-3.0).to_string(), "-3");
        assert_eq!(number_to_json(0.25).to_string(), "0.25");
        assert_eq!(number_to_json(1e300).to_string(), "1e+300");
        assert_eq!(number_to_json(f64::NAN), serde_json::Value::Null);
    }
}
