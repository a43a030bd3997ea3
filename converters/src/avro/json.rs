//! JSON values inside Avro schemas: custom properties (`connect.*`, `logicalType`, ...) and
//! field defaults.
//!
//! Confluent stores a schema as the text Avro Java's `Schema.toString()` prints, and the
//! registry deduplicates by that text, so a property's value must print exactly as Jackson
//! prints the node Avro Java holds: integers as digits, doubles with `Double.toString`,
//! floats (only ever created from a Connect FLOAT32 default) with `Float.toString`, object
//! members in insertion order. This owned, order-preserving model is parsed from the JSON
//! DOM the JSON converter already has and printed with the same Jackson-compatible writer.

use crate::json::dom::JsonNode;
use crate::json::write;

/// One JSON value held by an Avro schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits in 64 bits (Jackson's int or long node).
    Int(i64),
    /// An integer literal too large for 64 bits, as its digits.
    BigInt(String),
    /// A double (Jackson's double node, also what any number with a fraction parses to).
    Double(f64),
    /// A float (Jackson's float node: the `connect.default` of a FLOAT32 schema).
    Float(f32),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object, members in insertion order.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// The owned form of a parsed node; numbers with a fraction or exponent become doubles,
    /// as Avro Java's default Jackson mapper reads them.
    pub fn from_node(node: &JsonNode<'_>) -> Json {
        match node {
            JsonNode::Missing | JsonNode::Null => Json::Null,
            JsonNode::Bool(b) => Json::Bool(*b),
            JsonNode::Int(v) => Json::Int(i64::from(*v)),
            JsonNode::Long(v) => Json::Int(*v),
            JsonNode::BigInt(text) => Json::BigInt((*text).to_string()),
            JsonNode::Decimal(_) => Json::Double(node.double_value()),
            JsonNode::String(s) => Json::String(s.to_string()),
            JsonNode::Array(items) => Json::Array(items.iter().map(Json::from_node).collect()),
            JsonNode::Object(members) => Json::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.to_string(), Json::from_node(v)))
                    .collect(),
            ),
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a number of any kind (Jackson's `isNumber`).
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Json::Int(_) | Json::BigInt(_) | Json::Double(_) | Json::Float(_)
        )
    }

    /// Jackson's `intValue()` of a number (narrowed Java-style), `None` for other values.
    pub fn int_value(&self) -> Option<i32> {
        self.long_value().map(|v| v as i32)
    }

    /// Jackson's `longValue()` of a number, `None` for other values.
    pub fn long_value(&self) -> Option<i64> {
        match self {
            Json::Int(v) => Some(*v),
            Json::BigInt(text) => Some(
                text.parse::<connect_core::BigDecimal>()
                    .map(|d| d.to_i64_wrapping())
                    .unwrap_or(0),
            ),
            Json::Double(v) => Some(*v as i64),
            Json::Float(v) => Some(*v as i64),
            _ => None,
        }
    }

    /// Jackson's `doubleValue()` of a number, `None` for other values.
    pub fn double_value(&self) -> Option<f64> {
        match self {
            Json::Int(v) => Some(*v as f64),
            Json::BigInt(text) => Some(text.parse::<f64>().unwrap_or(0.0)),
            Json::Double(v) => Some(*v),
            Json::Float(v) => Some(f64::from(*v)),
            _ => None,
        }
    }

    /// A member of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The value after Avro Java's `JacksonUtils.toObject` / `toJsonNode` round trip, which
    /// every field default goes through: floats become doubles (so a FLOAT32 default 1.1
    /// prints as `1.100000023841858` in `"default"` while `connect.default` keeps `1.1`).
    pub fn through_java_object(self) -> Json {
        match self {
            Json::Float(v) => Json::Double(f64::from(v)),
            Json::Array(items) => {
                Json::Array(items.into_iter().map(Json::through_java_object).collect())
            }
            Json::Object(members) => Json::Object(
                members
                    .into_iter()
                    .map(|(k, v)| (k, v.through_java_object()))
                    .collect(),
            ),
            other => other,
        }
    }

    /// Appends the value as Jackson prints it.
    pub fn write(&self, out: &mut Vec<u8>) {
        match self {
            Json::Null => out.extend_from_slice(b"null"),
            Json::Bool(true) => out.extend_from_slice(b"true"),
            Json::Bool(false) => out.extend_from_slice(b"false"),
            Json::Int(v) => write::write_int(out, *v),
            Json::BigInt(text) => out.extend_from_slice(text.as_bytes()),
            Json::Double(v) => write::write_f64(out, *v),
            Json::Float(v) => write::write_f32(out, *v),
            Json::String(s) => write::write_string(out, s),
            Json::Array(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write(out);
                }
                out.push(b']');
            }
            Json::Object(members) => {
                out.push(b'{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write::write_string(out, k);
                    out.push(b':');
                    v.write(out);
                }
                out.push(b'}');
            }
        }
    }

    /// The value as JSON text.
    pub fn to_json_string(&self) -> String {
        let mut out = Vec::new();
        self.write(&mut out);
        String::from_utf8(out).unwrap_or_default()
    }

    /// Java's `Object.toString()` of the value Avro Java hands out for a property
    /// (`getObjectProps`): strings unquoted, everything else as JSON text.
    pub fn to_java_string(&self) -> String {
        match self {
            Json::String(s) => s.clone(),
            other => other.to_json_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::dom;

    fn parse(text: &str) -> Json {
        Json::from_node(&dom::parse(text.as_bytes()).expect("valid JSON"))
    }

    #[test]
    fn prints_like_jackson_with_members_in_order() {
        let value = parse(r#"{"b":1,"a":[1.5,1e3,"x\u0001",null,true],"c":12345678901}"#);
        assert_eq!(
            value.to_json_string(),
            r#"{"b":1,"a":[1.5,1000.0,"x\u0001",null,true],"c":12345678901}"#
        );
    }

    #[test]
    fn floats_widen_only_through_java_objects() {
        let default = Json::Array(vec![Json::Float(1.1)]);
        assert_eq!(default.to_json_string(), "[1.1]");
        assert_eq!(
            default.through_java_object().to_json_string(),
            "[1.100000023841858]"
        );
    }
}
