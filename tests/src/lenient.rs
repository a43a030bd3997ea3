//! Connect data rendered back into the neutral JSON form, leniently.
//!
//! Some golden outputs are records that Kafka's SMTs produce but JsonConverter refuses to
//! serialize (a Decimal with the wrong scale, a required field left null, a logical schema
//! name on a value of another type). The vectors mark them `*_invalid` and render them as
//! JsonConverter would, except that nulls are allowed anywhere and a value that does not fit
//! its schema becomes `{"$invalid": {"java_type": ..., "value": ...}}`. Rendering our output
//! the same way and comparing JSON lets those cases be checked exactly where Kafka's
//! rendering is exact, without teaching the strict decoder to accept invalid data. The same
//! rendering makes failure diffs readable.
//!
//! Like [`crate::neutral`], this is written independently of the converter under test.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::time::MILLIS_PER_DAY;
use connect_core::{Schema, SchemaType, Value};
use serde_json::{Map, Number, Value as Json, json};

/// `{"schema": ..., "payload": ...}` for a schema and value.
pub fn envelope(schema: Option<&Schema>, value: &Value) -> Json {
    json!({
        "schema": schema.map_or(Json::Null, schema_json),
        "payload": payload(schema, value),
    })
}

fn json_type_name(kind: SchemaType) -> &'static str {
    match kind {
        SchemaType::Int8 => "int8",
        SchemaType::Int16 => "int16",
        SchemaType::Int32 => "int32",
        SchemaType::Int64 => "int64",
        SchemaType::Float32 => "float",
        SchemaType::Float64 => "double",
        SchemaType::Boolean => "boolean",
        SchemaType::String => "string",
        SchemaType::Bytes => "bytes",
        SchemaType::Array => "array",
        SchemaType::Map => "map",
        SchemaType::Struct => "struct",
    }
}

/// A schema in JsonConverter notation.
pub fn schema_json(schema: &Schema) -> Json {
    let mut out = Map::new();
    out.insert("type".into(), json_type_name(schema.kind()).into());
    match schema.kind() {
        SchemaType::Array => {
            if let Some(items) = schema.value_schema() {
                out.insert("items".into(), schema_json(items));
            }
        }
        SchemaType::Map => {
            if let (Some(keys), Some(values)) = (schema.key_schema(), schema.value_schema()) {
                out.insert("keys".into(), schema_json(keys));
                out.insert("values".into(), schema_json(values));
            }
        }
        SchemaType::Struct => {
            let fields = schema
                .fields()
                .iter()
                .map(|f| {
                    let mut field = schema_json(f.schema());
                    if let Json::Object(members) = &mut field {
                        members.insert("field".into(), f.name().into());
                    }
                    field
                })
                .collect();
            out.insert("fields".into(), Json::Array(fields));
        }
        _ => {}
    }
    out.insert("optional".into(), schema.is_optional().into());
    if let Some(default) = schema.default_value() {
        out.insert("default".into(), payload(Some(schema), default));
    }
    if let Some(name) = schema.name() {
        out.insert("name".into(), name.into());
    }
    if let Some(version) = schema.version() {
        out.insert("version".into(), version.into());
    }
    if let Some(doc) = schema.doc() {
        out.insert("doc".into(), doc.into());
    }
    if let Some(params) = schema.parameters() {
        let params: Map<String, Json> = params
            .iter()
            .map(|(k, v)| (k.clone(), Json::String(v.clone())))
            .collect();
        out.insert("parameters".into(), Json::Object(params));
    }
    Json::Object(out)
}

fn float(value: f64) -> Json {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else {
        Number::from_f64(value).map_or(Json::Null, Json::Number)
    }
}

/// An f32 as the decimal number Java prints for it (not its widened double).
fn float32(value: f32) -> Json {
    if !value.is_finite() {
        return float(value as f64);
    }
    float(value.to_string().parse::<f64>().unwrap_or(value as f64))
}

fn invalid(value: &Value) -> Json {
    json!({"$invalid": {"java_type": value.java_class_name(), "value": best_effort(value)}})
}

/// A value without a schema, as JsonConverter would infer it; decimals and dates, which
/// have no schemaless form, are written as their Java `toString()`/epoch millis.
fn best_effort(value: &Value) -> Json {
    match value {
        Value::Decimal(d) => d.to_string().into(),
        Value::Timestamp(ms) => (*ms).into(),
        other => payload(None, other),
    }
}

/// A payload for `schema` (or schemaless), with `$invalid` where the value does not fit.
pub fn payload(schema: Option<&Schema>, value: &Value) -> Json {
    if value.is_null() {
        return Json::Null;
    }
    let Some(schema) = schema else {
        return schemaless(value);
    };
    if let Some(rendered) = logical_payload(schema, value) {
        return rendered;
    }
    match (schema.kind(), value) {
        (SchemaType::Int8, Value::Int8(v)) => (*v).into(),
        (SchemaType::Int16, Value::Int16(v)) => (*v).into(),
        (SchemaType::Int32, Value::Int32(v)) => (*v).into(),
        (SchemaType::Int64, Value::Int64(v)) => (*v).into(),
        (SchemaType::Float32, Value::Float32(v)) => float32(*v),
        (SchemaType::Float64, Value::Float64(v)) => float(*v),
        (SchemaType::Boolean, Value::Boolean(v)) => (*v).into(),
        (SchemaType::String, Value::String(v)) => v.as_str().into(),
        (SchemaType::Bytes, Value::Bytes(v)) => BASE64.encode(v).into(),
        (SchemaType::Array, Value::Array(items)) => Json::Array(
            items
                .iter()
                .map(|item| payload(schema.value_schema(), item))
                .collect(),
        ),
        (SchemaType::Map, Value::Map(entries)) => {
            let (keys, values) = (schema.key_schema(), schema.value_schema());
            if keys.is_some_and(|k| k.kind() == SchemaType::String) {
                let mut object = Map::new();
                for (k, v) in entries {
                    match k {
                        Value::String(k) => {
                            object.insert(k.clone(), payload(values, v));
                        }
                        other => return invalid(other),
                    }
                }
                Json::Object(object)
            } else {
                Json::Array(
                    entries
                        .iter()
                        .map(|(k, v)| json!([payload(keys, k), payload(values, v)]))
                        .collect(),
                )
            }
        }
        (SchemaType::Struct, Value::Struct(s)) => {
            let mut object = Map::new();
            for (field, v) in s.schema().fields().iter().zip(s.values()) {
                let field_schema = schema
                    .field(field.name())
                    .map_or(field.schema(), |f| f.schema());
                object.insert(field.name().to_string(), payload(Some(field_schema), v));
            }
            Json::Object(object)
        }
        (_, other) => invalid(other),
    }
}

/// The logical-type encoding when the schema names a logical type and the value has that
/// type's Java class; `None` to fall back to the physical type, as Kafka's rendering does
/// for a logical name left on another type's schema.
fn logical_payload(schema: &Schema, value: &Value) -> Option<Json> {
    match (schema.name()?, value) {
        (DECIMAL_NAME, Value::Decimal(d)) => {
            let fits = logical::decimal_scale(schema).is_ok_and(|scale| scale == d.scale());
            Some(if fits {
                BASE64.encode(d.unscaled_twos_complement()).into()
            } else {
                invalid(value)
            })
        }
        (DATE_NAME, Value::Timestamp(ms)) => Some(if ms % MILLIS_PER_DAY == 0 {
            (ms / MILLIS_PER_DAY).into()
        } else {
            invalid(value)
        }),
        (TIME_NAME, Value::Timestamp(ms)) => Some(if (0..MILLIS_PER_DAY).contains(ms) {
            (*ms).into()
        } else {
            invalid(value)
        }),
        (TIMESTAMP_NAME, Value::Timestamp(ms)) => Some((*ms).into()),
        _ => None,
    }
}

fn schemaless(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Int8(v) => (*v).into(),
        Value::Int16(v) => (*v).into(),
        Value::Int32(v) => (*v).into(),
        Value::Int64(v) => (*v).into(),
        Value::Float32(v) => float32(*v),
        Value::Float64(v) => float(*v),
        Value::Boolean(v) => (*v).into(),
        Value::String(v) => v.as_str().into(),
        Value::Bytes(v) => BASE64.encode(v).into(),
        Value::Array(items) => Json::Array(items.iter().map(schemaless).collect()),
        Value::Map(entries) => {
            if entries.iter().all(|(k, _)| matches!(k, Value::String(_))) {
                Json::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), schemaless(v)))
                        .collect(),
                )
            } else {
                Json::Array(
                    entries
                        .iter()
                        .map(|(k, v)| json!([schemaless(k), schemaless(v)]))
                        .collect(),
                )
            }
        }
        Value::Struct(s) => payload(Some(s.schema()), value),
        Value::Decimal(_) | Value::Timestamp(_) => invalid(value),
    }
}

/// The Java type of every leaf of a schemaless value, in the `*_types` sidecar notation
/// (`int32`, `date`, `decimal`, nested lists and maps, `$map_pairs` for non-string keys), to
/// show type differences that the JSON rendering hides.
pub fn types(value: &Value) -> Json {
    match value {
        Value::Null => "null".into(),
        Value::Int8(_) => "int8".into(),
        Value::Int16(_) => "int16".into(),
        Value::Int32(_) => "int32".into(),
        Value::Int64(_) => "int64".into(),
        Value::Float32(_) => "float32".into(),
        Value::Float64(_) => "float64".into(),
        Value::Boolean(_) => "boolean".into(),
        Value::String(_) => "string".into(),
        Value::Bytes(_) => "bytes".into(),
        Value::Decimal(_) => "decimal".into(),
        Value::Timestamp(_) => "date".into(),
        Value::Struct(_) => "struct".into(),
        Value::Array(items) => Json::Array(items.iter().map(types).collect()),
        Value::Map(entries) => {
            if entries.iter().all(|(k, _)| matches!(k, Value::String(_))) {
                Json::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), types(v)))
                        .collect(),
                )
            } else {
                json!({"$map_pairs": entries.iter().map(|(k, v)| json!([types(k), types(v)])).collect::<Vec<_>>()})
            }
        }
    }
}

/// Whether two JSON documents describe the same data: objects compare without regard to
/// member order (maps come from Java `HashMap`s, struct order is fixed by the schema
/// anyway), numbers by value.
pub fn equivalent(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| equivalent(v, w)))
        }
        (Json::Array(x), Json::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| equivalent(v, w))
        }
        (Json::Number(x), Json::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(i), Some(j)) => i == j,
            _ => x.as_f64() == y.as_f64(),
        },
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::{BigDecimal, SchemaBuilder, Struct};

    #[test]
    fn values_that_do_not_fit_are_marked_invalid() {
        let schema = SchemaBuilder::structure()
            .field("dec", logical::decimal_schema(2).build().expect("decimal"))
            .field("n", SchemaBuilder::int32().build().expect("int32"))
            .build()
            .expect("struct");
        let value = Struct::from_values_unchecked(
            schema.clone(),
            vec![Value::Decimal(BigDecimal::new(0, 0)), Value::Null],
        );
        let rendered = payload(Some(&schema), &Value::Struct(value));
        let wanted = json!({
            "dec": {"$invalid": {"java_type": "java.math.BigDecimal", "value": "0"}},
            "n": null
        });
        assert!(equivalent(&rendered, &wanted), "{rendered}");
    }

    #[test]
    fn logical_names_on_other_types_fall_back_to_the_physical_type() {
        let schema = SchemaBuilder::int64()
            .name(TIMESTAMP_NAME)
            .version(1)
            .build()
            .expect("timestamp");
        assert_eq!(payload(Some(&schema), &Value::Int64(5)), json!(5));
        assert_eq!(payload(Some(&schema), &Value::Timestamp(5)), json!(5));
        assert!(equivalent(
            &json!({"a": 1, "b": 2.0}),
            &json!({"b": 2, "a": 1})
        ));
        assert!(!equivalent(&json!([1, 2]), &json!([2, 1])));
    }
}
