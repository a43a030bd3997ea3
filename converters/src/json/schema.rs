//! Connect schemas to and from Kafka Connect's JSON schema notation.
//!
//! The notation is part of the wire format when `schemas.enable=true`
//! (`{"type":"struct","fields":[...],"optional":false,"name":...}`); keys come in Kafka's
//! order (type, contents, optional, name, version, doc, parameters, default, field) so the
//! bytes match.

use connect_core::{ConnectError, ErrorCause, Result, Schema, SchemaBuilder, SchemaType};

use super::dom::JsonNode;
use super::from_connect::PayloadWriter;
use super::to_connect::to_connect;
use super::write::{write_int, write_string};

fn type_name(kind: SchemaType) -> &'static str {
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

fn type_from_name(name: &str) -> Option<SchemaType> {
    SchemaType::ALL.into_iter().find(|t| type_name(*t) == name)
}

/// Appends the JSON notation of `schema` (Kafka's `asJsonSchema`); defaults are written
/// with the converter's payload rules (so `decimal.format` applies to them too).
pub(crate) fn write_schema(
    out: &mut Vec<u8>,
    schema: &Schema,
    writer: &mut PayloadWriter,
) -> Result<()> {
    write_schema_object(out, schema, None, writer)
}

fn write_schema_object(
    out: &mut Vec<u8>,
    schema: &Schema,
    field_name: Option<&str>,
    writer: &mut PayloadWriter,
) -> Result<()> {
    out.extend_from_slice(b"{\"type\":");
    write_string(out, type_name(schema.kind()));
    match schema.kind() {
        SchemaType::Array => {
            out.extend_from_slice(b",\"items\":");
            write_optional_schema(out, schema.value_schema(), writer)?;
        }
        SchemaType::Map => {
            out.extend_from_slice(b",\"keys\":");
            write_optional_schema(out, schema.key_schema(), writer)?;
            out.extend_from_slice(b",\"values\":");
            write_optional_schema(out, schema.value_schema(), writer)?;
        }
        SchemaType::Struct => {
            out.extend_from_slice(b",\"fields\":[");
            for (i, field) in schema.fields().iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_schema_object(out, field.schema(), Some(field.name()), writer)?;
            }
            out.push(b']');
        }
        _ => {}
    }
    out.extend_from_slice(if schema.is_optional() {
        b",\"optional\":true"
    } else {
        b",\"optional\":false"
    });
    if let Some(name) = schema.name() {
        out.extend_from_slice(b",\"name\":");
        write_string(out, name);
    }
    if let Some(version) = schema.version() {
        out.extend_from_slice(b",\"version\":");
        write_int(out, version);
    }
    if let Some(doc) = schema.doc() {
        out.extend_from_slice(b",\"doc\":");
        write_string(out, doc);
    }
    if let Some(parameters) = schema.parameters() {
        out.extend_from_slice(b",\"parameters\":{");
        for (i, (k, v)) in parameters.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_string(out, k);
            out.push(b':');
            write_string(out, v);
        }
        out.push(b'}');
    }
    if let Some(default) = schema.default_value() {
        out.extend_from_slice(b",\"default\":");
        writer.write(out, Some(schema), default)?;
    }
    if let Some(name) = field_name {
        out.extend_from_slice(b",\"field\":");
        write_string(out, name);
    }
    out.push(b'}');
    Ok(())
}

fn write_optional_schema(
    out: &mut Vec<u8>,
    schema: Option<&Schema>,
    writer: &mut PayloadWriter,
) -> Result<()> {
    match schema {
        Some(s) => write_schema_object(out, s, None, writer),
        None => {
            out.extend_from_slice(b"null");
            Ok(())
        }
    }
}

/// Reads the JSON notation of a schema (Kafka's `asConnectSchema`); a JSON null means
/// "no schema".
pub(crate) fn parse_schema(
    node: &JsonNode<'_>,
    replace_null_with_default: bool,
) -> Result<Option<Schema>> {
    if matches!(node, JsonNode::Null) {
        return Ok(None);
    }
    let type_node = node
        .get("type")
        .and_then(JsonNode::text)
        .ok_or_else(|| ConnectError::data("Schema must contain 'type' field"))?;
    let kind = type_from_name(type_node)
        .ok_or_else(|| ConnectError::data(format!("Unknown schema type: {type_node}")))?;
    let mut builder = match kind {
        SchemaType::Array => {
            let items = node
                .get("items")
                .filter(|n| !matches!(n, JsonNode::Null))
                .ok_or_else(|| {
                    ConnectError::data("Array schema did not specify the element type")
                })?;
            let items = parse_schema(items, replace_null_with_default)?
                .ok_or_else(|| ConnectError::schema_builder("valueSchema cannot be null."))?;
            SchemaBuilder::array(items)
        }
        SchemaType::Map => {
            let keys = node
                .get("keys")
                .ok_or_else(|| ConnectError::data("Map schema did not specify the key type"))?;
            let values = node
                .get("values")
                .ok_or_else(|| ConnectError::data("Map schema did not specify the value type"))?;
            let keys = parse_schema(keys, replace_null_with_default)?
                .ok_or_else(|| ConnectError::schema_builder("keySchema cannot be null."))?;
            let values = parse_schema(values, replace_null_with_default)?
                .ok_or_else(|| ConnectError::schema_builder("valueSchema cannot be null."))?;
            SchemaBuilder::map(keys, values)
        }
        SchemaType::Struct => {
            let JsonNode::Array(fields) = node.get("fields").unwrap_or(&JsonNode::Missing) else {
                return Err(ConnectError::data(
                    "Struct schema's \"fields\" argument is not an array.",
                ));
            };
            let mut builder = SchemaBuilder::structure();
            for field in fields {
                let name = field.get("field").and_then(JsonNode::text).ok_or_else(|| {
                    ConnectError::data("Struct schema's field name not specified properly")
                })?;
                let field_schema = parse_schema(field, replace_null_with_default)?
                    .ok_or_else(|| ConnectError::schema_builder("fieldSchema cannot be null."))?;
                builder = builder.field(name, field_schema);
            }
            builder
        }
        primitive => SchemaBuilder::new(primitive),
    };
    if matches!(node.get("optional"), Some(JsonNode::Bool(true))) {
        builder = builder.optional();
    }
    if let Some(name) = node.get("name").and_then(JsonNode::text) {
        builder = builder.name(name);
    }
    if let Some(version) = node.get("version").filter(|v| v.is_integral()) {
        builder = builder.version(version.int_value());
    }
    if let Some(doc) = node.get("doc").and_then(JsonNode::text) {
        builder = builder.doc(doc);
    }
    if let Some(JsonNode::Object(params)) = node.get("parameters") {
        let mut pairs = Vec::with_capacity(params.len());
        for (key, value) in params {
            let text = value
                .text()
                .ok_or_else(|| ConnectError::data("Schema parameters must have string values."))?;
            pairs.push((key.to_string(), text.to_string()));
        }
        builder = builder.parameters(pairs);
    }
    if let Some(default_node) = node.get("default") {
        // The default is read against the schema as declared so far (no default of its own).
        let bare = builder.clone().build()?;
        let default = to_connect(Some(&bare), Some(default_node), replace_null_with_default)?;
        if kind == SchemaType::Struct && !default.is_null() {
            // Kafka validates a struct default against the unfinished builder, which never
            // equals the struct's schema: struct defaults in JSON schemas always fail there.
            return Err(ConnectError::SchemaBuilder {
                message: "Invalid default value".to_string(),
                cause: Some(Box::new(ErrorCause {
                    class: "DataException".to_string(),
                    message: "Struct schemas do not match.".to_string(),
                })),
            });
        }
        builder = builder.default_value(default);
    }
    builder.build().map(Some)
}
