//! Connect schemas to Avro schemas and back, as Confluent's `AvroData` (7.0) maps them.
//!
//! The mapping decides the text that gets registered, so it follows AvroData rule by rule:
//! optional schemas become unions with `null` (first, or second when the schema has a
//! default), INT8/INT16 become `int` with `connect.type`, Connect names, versions, docs,
//! parameters and defaults travel in `connect.*` properties (unless `connect.meta.data` is
//! off), logical types get both the Avro `logicalType` and Connect's name, maps with
//! non-string keys become arrays of `MapEntry` records, unnamed structs are numbered
//! `ConnectDefault`, `ConnectDefault2`, ... and schemaless data uses the `Anything` record.
//! Going back, plain Avro schemas (from any producer) get the Connect types Confluent gives
//! them: unions of more than `null` and one type become `io.confluent.connect.avro.Union`
//! structs, enums become strings with `io.confluent.connect.avro.Enum*` parameters, fixed
//! becomes bytes with `connect.fixed.size`, record and field docs become parameters.

use std::collections::HashMap;
use std::sync::LazyLock;

use connect_core::logical::{
    DATE_NAME, DECIMAL_NAME, SCALE_PARAMETER, TIME_NAME, TIMESTAMP_NAME, date_schema,
    decimal_schema, time_schema, timestamp_schema,
};
use connect_core::time::MILLIS_PER_DAY;
use connect_core::{ConnectError, Result, Schema, SchemaBuilder, SchemaType, Struct, Value};

use super::json::Json;
use super::schema::{AvroSchema, EnumType, Field, FixedType, Kind, Name, Node, NodeId, Record};

/// Namespace of every type AvroData invents.
pub const NAMESPACE: &str = "io.confluent.connect.avro";
/// Name given to unnamed structs (numbered from the second one on).
pub const DEFAULT_SCHEMA_NAME: &str = "ConnectDefault";
/// Full name prefix of unnamed structs; such names are not given back to Connect.
pub const DEFAULT_SCHEMA_FULL_NAME: &str = "io.confluent.connect.avro.ConnectDefault";
/// Record name of the entries of a map whose keys are not strings.
pub const MAP_ENTRY_TYPE_NAME: &str = "MapEntry";
/// Full name of the schemaless record.
pub const ANYTHING_NAME: &str = "io.confluent.connect.avro.Anything";
/// Connect name of a struct standing for an Avro union.
pub const UNION_NAME: &str = "io.confluent.connect.avro.Union";
/// Parameter marking a string as an Avro enum (its value is the enum's full name).
pub const ENUM_PARAMETER: &str = "io.confluent.connect.avro.Enum";
/// Parameter holding a record's doc.
pub const RECORD_DOC_PARAMETER: &str = "io.confluent.connect.avro.record.doc";
/// Prefix of the parameters holding field docs.
pub const FIELD_DOC_PREFIX: &str = "io.confluent.connect.avro.field.doc.";
/// Prefix of the parameters holding enum docs.
pub const ENUM_DOC_PREFIX: &str = "io.confluent.connect.avro.enum.doc.";
/// Prefix of the parameters holding enum default symbols.
pub const ENUM_DEFAULT_PREFIX: &str = "io.confluent.connect.avro.enum.default.";
/// Parameter marking a default that came from an Avro field default.
pub const FIELD_DEFAULT_FLAG: &str = "io.confluent.connect.avro.field.default";
/// Parameter holding the size of an Avro fixed.
pub const FIXED_SIZE_PARAMETER: &str = "connect.fixed.size";
/// Parameter holding a Decimal's precision when it is not the default 64.
pub const DECIMAL_PRECISION_PARAMETER: &str = "connect.decimal.precision";

const CONNECT_NAME_PROP: &str = "connect.name";
const CONNECT_DOC_PROP: &str = "connect.doc";
const CONNECT_VERSION_PROP: &str = "connect.version";
const CONNECT_DEFAULT_PROP: &str = "connect.default";
const CONNECT_PARAMETERS_PROP: &str = "connect.parameters";
const CONNECT_INTERNAL_TYPE_PROP: &str = "connect.internal.type";
const CONNECT_TYPE_PROP: &str = "connect.type";
const LOGICAL_TYPE_PROP: &str = "logicalType";
const DEFAULT_DECIMAL_PRECISION: i64 = 64;

/// The AvroData settings that change the mapping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AvroDataConfig {
    /// `connect.meta.data`: carry Connect names, versions, docs, parameters and defaults in
    /// `connect.*` properties (and read them back).
    pub connect_meta_data: bool,
    /// `enhanced.avro.schema.support`: write enum-marked strings as Avro enums and name
    /// union branches by full name.
    pub enhanced_schema_support: bool,
    /// `scrub.invalid.names`: rewrite names Avro rejects instead of failing.
    pub scrub_invalid_names: bool,
}

impl Default for AvroDataConfig {
    fn default() -> Self {
        Self {
            connect_meta_data: true,
            enhanced_schema_support: false,
            scrub_invalid_names: false,
        }
    }
}

/// AvroData's name scrubbing: a valid name is kept; otherwise it is URL-encoded, prefixed
/// with `x` when it starts with a digit, and every remaining invalid character becomes `_`.
pub fn scrub_name(name: &str) -> String {
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if !name.is_empty()
        && name.chars().all(valid)
        && !name.starts_with(|c: char| c.is_ascii_digit())
    {
        return name.to_string();
    }
    let mut encoded = String::with_capacity(name.len() * 3);
    for byte in name.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'.' | b'-' | b'*' | b'_' => {
                encoded.push(byte as char)
            }
            b' ' => encoded.push('+'),
            other => encoded.push_str(&format!("%{other:02X}")),
        }
    }
    if encoded.starts_with(|c: char| c.is_ascii_digit()) {
        encoded.insert(0, 'x');
    }
    encoded
        .chars()
        .map(|c| if valid(c) { c } else { '_' })
        .collect()
}

/// Whether a Connect schema stands for an Avro union.
pub fn is_union_schema(schema: &Schema) -> bool {
    schema.name() == Some(UNION_NAME)
}

fn is_fixed_schema(schema: &Schema) -> bool {
    schema.kind() == SchemaType::Bytes
        && schema.name().is_some()
        && schema.parameter(FIXED_SIZE_PARAMETER).is_some()
}

/// The schema of schemaless data: a record with one optional field per Connect type that
/// can appear without a schema, arrays and maps of itself included.
pub fn anything_schema() -> &'static AvroSchema {
    static ANYTHING: LazyLock<AvroSchema> = LazyLock::new(build_anything);
    &ANYTHING
}

/// The canonical text of [`anything_schema`], to recognise schemaless data by its writer.
pub fn anything_schema_text() -> &'static str {
    static TEXT: LazyLock<String> =
        LazyLock::new(|| anything_schema().to_canonical_string().unwrap_or_default());
    &TEXT
}

fn fixed_name(full: &str) -> Name {
    Name::new(full, None).expect("the constant names of this module are valid Avro names")
}

fn build_anything() -> AvroSchema {
    let mut s = AvroSchema::new();
    let anything = s.push(Node::new(Kind::Record(Record {
        name: fixed_name(ANYTHING_NAME),
        doc: None,
        fields: Vec::new(),
        aliases: Vec::new(),
    })));
    let null = s.push(Node::new(Kind::Null));
    let optional = |s: &mut AvroSchema, kind: Kind| {
        let inner = s.push(Node::new(kind));
        s.push(Node::new(Kind::Union(vec![null, inner])))
    };
    let mut fields = Vec::new();
    for (name, kind) in [
        ("boolean", Kind::Boolean),
        ("bytes", Kind::Bytes),
        ("double", Kind::Double),
        ("float", Kind::Float),
        ("int", Kind::Int),
        ("long", Kind::Long),
        ("string", Kind::String),
        ("array", Kind::Array(anything)),
    ] {
        let schema = optional(&mut s, kind);
        fields.push(plain_field(name, schema, Some(Json::Null)));
    }
    let entry = s.push(Node::new(Kind::Record(Record {
        name: fixed_name(&format!("{NAMESPACE}.{MAP_ENTRY_TYPE_NAME}")),
        doc: None,
        fields: vec![
            plain_field("key", anything, None),
            plain_field("value", anything, None),
        ],
        aliases: Vec::new(),
    })));
    let map = optional(&mut s, Kind::Array(entry));
    fields.push(plain_field("map", map, Some(Json::Null)));
    if let Kind::Record(record) = &mut s.node_mut(anything).kind {
        record.fields = fields;
    }
    s.set_root(anything);
    s
}

fn plain_field(name: &str, schema: NodeId, default: Option<Json>) -> Field {
    Field {
        name: name.to_string(),
        schema,
        doc: None,
        default,
        order: None,
        aliases: Vec::new(),
        props: Vec::new(),
    }
}

/// The Avro schema AvroData derives from a Connect schema (`None`: schemaless data).
pub fn from_connect_schema(config: &AvroDataConfig, schema: Option<&Schema>) -> Result<AvroSchema> {
    let Some(schema) = schema else {
        return Ok(anything_schema().clone());
    };
    let mut ctx = FromConnect {
        config,
        out: AvroSchema::new(),
        cache: HashMap::new(),
        default_index: 0,
    };
    let root = ctx.convert(schema, false)?;
    ctx.out.set_root(root);
    Ok(ctx.out)
}

struct FromConnect<'c> {
    config: &'c AvroDataConfig,
    out: AvroSchema,
    /// Non-optional schemas already converted: a repeated schema reuses its node, which is
    /// what makes a named record appear once and be referenced afterwards.
    cache: HashMap<Schema, NodeId>,
    default_index: usize,
}

impl FromConnect<'_> {
    fn scrub(&self, name: &str) -> String {
        if self.config.scrub_invalid_names {
            scrub_name(name)
        } else {
            name.to_string()
        }
    }

    /// AvroData's `splitName`: namespace and simple name of a dotted Connect name.
    fn split_name(&self, full: &str) -> (Option<String>, String) {
        let mut parts: Vec<String> = full.split('.').map(|p| self.scrub(p)).collect();
        while parts.len() > 1 && parts.last().is_some_and(String::is_empty) {
            parts.pop();
        }
        let simple = parts.pop().unwrap_or_default();
        let namespace = (!parts.is_empty()).then(|| parts.join("."));
        (namespace, simple)
    }

    /// The Avro name for a Connect name, or the next `ConnectDefault` name.
    fn name_or_default(&mut self, name: Option<&str>) -> Result<Name> {
        let (namespace, simple) = match name {
            Some(name) => self.split_name(name),
            None => {
                self.default_index += 1;
                let simple = if self.default_index > 1 {
                    format!("{DEFAULT_SCHEMA_NAME}{}", self.default_index)
                } else {
                    DEFAULT_SCHEMA_NAME.to_string()
                };
                (Some(NAMESPACE.to_string()), simple)
            }
        };
        Name::new(&simple, namespace.as_deref())
    }

    fn push(&mut self, kind: Kind) -> NodeId {
        self.out.push(Node::new(kind))
    }

    fn convert(&mut self, schema: &Schema, ignore_optional: bool) -> Result<NodeId> {
        if !is_union_schema(schema)
            && !schema.is_optional()
            && let Some(id) = self.cache.get(schema)
        {
            return Ok(*id);
        }
        let mut connect_type = None;
        let base = match schema.kind() {
            SchemaType::Int8 => {
                connect_type = Some("int8");
                self.push(Kind::Int)
            }
            SchemaType::Int16 => {
                connect_type = Some("int16");
                self.push(Kind::Int)
            }
            SchemaType::Int32 => self.push(Kind::Int),
            SchemaType::Int64 => self.push(Kind::Long),
            SchemaType::Float32 => self.push(Kind::Float),
            SchemaType::Float64 => self.push(Kind::Double),
            SchemaType::Boolean => self.push(Kind::Boolean),
            SchemaType::String => self.convert_string(schema)?,
            SchemaType::Bytes => self.convert_bytes(schema)?,
            SchemaType::Array => {
                let items = schema
                    .value_schema()
                    .ok_or_else(|| ConnectError::data("Array schema without element schema"))?;
                let items = self.convert(items, false)?;
                self.push(Kind::Array(items))
            }
            SchemaType::Map => self.convert_map(schema)?,
            SchemaType::Struct => {
                if is_union_schema(schema) {
                    let mut branches = Vec::new();
                    if schema.is_optional() {
                        branches.push(self.push(Kind::Null));
                    }
                    for field in schema.fields() {
                        let member = non_optional(field.schema())?;
                        branches.push(self.convert(&member, true)?);
                    }
                    self.push(Kind::Union(branches))
                } else if schema.is_optional() {
                    let null = self.push(Kind::Null);
                    let inner = self.convert(&non_optional(schema)?, false)?;
                    self.push(Kind::Union(vec![null, inner]))
                } else {
                    self.convert_record(schema)?
                }
            }
        };
        let mut result = base;
        if !matches!(self.out.node(base).kind, Kind::Union(_)) {
            self.add_metadata(schema, base, connect_type)?;
            if !ignore_optional && schema.is_optional() {
                let null = self.push(Kind::Null);
                let branches = if schema.default_value().is_some() {
                    vec![base, null]
                } else {
                    vec![null, base]
                };
                result = self.push(Kind::Union(branches));
            }
        }
        if !schema.is_optional() {
            self.cache.insert(schema.clone(), result);
        }
        Ok(result)
    }

    fn convert_string(&mut self, schema: &Schema) -> Result<NodeId> {
        let enum_name = schema.parameter(ENUM_PARAMETER);
        let (true, Some(enum_name), Some(params)) = (
            self.config.enhanced_schema_support,
            enum_name,
            schema.parameters(),
        ) else {
            return Ok(self.push(Kind::String));
        };
        let prefix = format!("{ENUM_PARAMETER}.");
        let symbols: Vec<String> = params
            .keys()
            .filter_map(|k| k.strip_prefix(&prefix).map(str::to_string))
            .collect();
        let short = self.name_or_default(schema.name())?.simple().to_string();
        let doc = schema
            .parameter(&format!("{ENUM_DOC_PREFIX}{short}"))
            .map(str::to_string);
        let default = schema
            .parameter(&format!("{ENUM_DEFAULT_PREFIX}{short}"))
            .map(str::to_string);
        let name = Name::new(enum_name, None)?;
        for symbol in &symbols {
            super::schema::validate_name(symbol)?;
        }
        Ok(self.push(Kind::Enum(EnumType {
            name,
            doc,
            symbols,
            default,
            aliases: Vec::new(),
        })))
    }

    fn convert_bytes(&mut self, schema: &Schema) -> Result<NodeId> {
        let id = if is_fixed_schema(schema) {
            let name = self.name_or_default(schema.name())?;
            let size = schema
                .parameter(FIXED_SIZE_PARAMETER)
                .and_then(|s| s.parse::<usize>().ok())
                .ok_or_else(|| ConnectError::data("Invalid connect.fixed.size parameter"))?;
            self.push(Kind::Fixed(FixedType {
                name,
                doc: None,
                size,
                aliases: Vec::new(),
            }))
        } else {
            self.push(Kind::Bytes)
        };
        if schema
            .name()
            .is_some_and(|n| n.eq_ignore_ascii_case(DECIMAL_NAME))
        {
            let scale = parse_int_parameter(schema, SCALE_PARAMETER)?.unwrap_or(0);
            let precision = parse_int_parameter(schema, DECIMAL_PRECISION_PARAMETER)?
                .unwrap_or(DEFAULT_DECIMAL_PRECISION);
            let node = self.out.node_mut(id);
            node.add_prop("scale", Json::Int(scale))?;
            node.add_prop("precision", Json::Int(precision))?;
        }
        Ok(id)
    }

    fn convert_map(&mut self, schema: &Schema) -> Result<NodeId> {
        let (Some(keys), Some(values)) = (schema.key_schema(), schema.value_schema()) else {
            return Err(ConnectError::data("Map schema without key or value schema"));
        };
        if keys.kind() == SchemaType::String && !keys.is_optional() {
            let values = self.convert(values, false)?;
            return Ok(self.push(Kind::Map(values)));
        }
        let (name, internal) = match schema.name() {
            None => (Name::new(MAP_ENTRY_TYPE_NAME, Some(NAMESPACE))?, false),
            Some(name) => (self.name_or_default(Some(name))?, true),
        };
        let entry = self.push(Kind::Record(Record {
            name,
            doc: None,
            fields: Vec::new(),
            aliases: Vec::new(),
        }));
        if internal {
            self.out.node_mut(entry).add_prop(
                CONNECT_INTERNAL_TYPE_PROP,
                Json::String(MAP_ENTRY_TYPE_NAME.to_string()),
            )?;
        }
        let key_field = self.record_field("key", keys, None)?;
        let value_field = self.record_field("value", values, None)?;
        if let Kind::Record(record) = &mut self.out.node_mut(entry).kind {
            record.fields = vec![key_field, value_field];
        }
        Ok(self.push(Kind::Array(entry)))
    }

    fn convert_record(&mut self, schema: &Schema) -> Result<NodeId> {
        let name = self.name_or_default(schema.name())?;
        let doc = schema.parameter(RECORD_DOC_PARAMETER).map(str::to_string);
        let id = self.push(Kind::Record(Record {
            name,
            doc,
            fields: Vec::new(),
            aliases: Vec::new(),
        }));
        let mut fields = Vec::with_capacity(schema.fields().len());
        for field in schema.fields() {
            let field_name = self.scrub(field.name());
            let field_doc = schema
                .parameter(&format!("{FIELD_DOC_PREFIX}{}", field.name()))
                .map(str::to_string);
            fields.push(self.record_field(&field_name, field.schema(), field_doc)?);
        }
        if let Kind::Record(record) = &mut self.out.node_mut(id).kind {
            record.fields = fields;
        }
        Ok(id)
    }

    /// AvroData's `addAvroRecordField`: the field's default is its schema's default (or null
    /// for an optional schema) and is dropped, as Avro Java's validation makes Confluent do,
    /// when it does not fit the field's Avro type.
    fn record_field(&mut self, name: &str, schema: &Schema, doc: Option<String>) -> Result<Field> {
        let default = match schema.default_value() {
            Some(default) => Some(self.default_to_json(schema, default)?.through_java_object()),
            None if schema.is_optional() => Some(Json::Null),
            None => None,
        };
        let node = self.convert(schema, false)?;
        super::schema::validate_name(name)?;
        let default = default.filter(|d| {
            let valid = is_valid_default(&self.out, node, d);
            if !valid {
                tracing::warn!(field = name, "Ignoring invalid default for Avro field.");
            }
            valid
        });
        Ok(Field {
            name: name.to_string(),
            schema: node,
            doc,
            default,
            order: None,
            aliases: Vec::new(),
            props: Vec::new(),
        })
    }

    fn add_metadata(
        &mut self,
        schema: &Schema,
        id: NodeId,
        connect_type: Option<&str>,
    ) -> Result<()> {
        if self.config.connect_meta_data {
            if let Some(doc) = schema.doc() {
                self.out
                    .node_mut(id)
                    .add_prop(CONNECT_DOC_PROP, Json::String(doc.to_string()))?;
            }
            if let Some(version) = schema.version() {
                self.out
                    .node_mut(id)
                    .add_prop(CONNECT_VERSION_PROP, Json::Int(i64::from(version)))?;
            }
            if let Some(params) = schema.parameters() {
                let members: Vec<(String, Json)> = params
                    .iter()
                    .filter(|(k, _)| k.as_str() != FIELD_DEFAULT_FLAG)
                    .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                    .collect();
                if !members.is_empty() {
                    self.out
                        .node_mut(id)
                        .add_prop(CONNECT_PARAMETERS_PROP, Json::Object(members))?;
                }
            }
            if let Some(default) = schema.default_value()
                && schema.parameter(FIELD_DEFAULT_FLAG).is_none()
            {
                let json = self.default_to_json(schema, default)?;
                self.out.node_mut(id).add_prop(CONNECT_DEFAULT_PROP, json)?;
            }
            if let Some(name) = schema.name() {
                self.out
                    .node_mut(id)
                    .add_prop(CONNECT_NAME_PROP, Json::String(name.to_string()))?;
            }
            if let Some(connect_type) = connect_type {
                self.out
                    .node_mut(id)
                    .add_prop(CONNECT_TYPE_PROP, Json::String(connect_type.to_string()))?;
            }
        }
        let Some(name) = schema.name() else {
            return self.add_avro_parameters(schema, id);
        };
        let logical = if name.eq_ignore_ascii_case(DECIMAL_NAME) {
            let precision = parse_int_parameter(schema, DECIMAL_PRECISION_PARAMETER)?;
            let scale = parse_int_parameter(schema, SCALE_PARAMETER)?.unwrap_or(0);
            let effective_precision = precision.unwrap_or(DEFAULT_DECIMAL_PRECISION);
            // Avro rejects such decimals; AvroData then keeps only the legacy property,
            // which it adds when a precision was given explicitly too.
            let legacy = scale < 0 || scale > effective_precision;
            if !legacy {
                let node = self.out.node_mut(id);
                node.add_prop(LOGICAL_TYPE_PROP, Json::String("decimal".to_string()))?;
                node.add_prop("precision", Json::Int(effective_precision))?;
                node.add_prop("scale", Json::Int(scale))?;
            }
            (legacy || precision.is_some()).then_some("decimal")
        } else if name.eq_ignore_ascii_case(TIME_NAME) {
            Some("time-millis")
        } else if name.eq_ignore_ascii_case(TIMESTAMP_NAME) {
            Some("timestamp-millis")
        } else if name.eq_ignore_ascii_case(DATE_NAME) {
            Some("date")
        } else {
            None
        };
        if let Some(logical) = logical {
            self.out
                .node_mut(id)
                .add_prop(LOGICAL_TYPE_PROP, Json::String(logical.to_string()))?;
        }
        self.add_avro_parameters(schema, id)
    }

    /// Parameters whose key starts with `avro` become Avro properties as they are.
    fn add_avro_parameters(&mut self, schema: &Schema, id: NodeId) -> Result<()> {
        if let Some(params) = schema.parameters() {
            for (k, v) in params.iter().filter(|(k, _)| k.starts_with("avro")) {
                self.out.node_mut(id).add_prop(k, Json::String(v.clone()))?;
            }
        }
        Ok(())
    }

    /// AvroData's `defaultValueFromConnect`: a Connect default as the JSON Avro stores.
    fn default_to_json(&self, schema: &Schema, value: &Value) -> Result<Json> {
        default_to_json(self.config, schema, value)
    }
}

fn parse_int_parameter(schema: &Schema, key: &str) -> Result<Option<i64>> {
    match schema.parameter(key) {
        None => Ok(None),
        Some(text) => text.parse::<i64>().map(Some).map_err(|_| {
            ConnectError::data_caused_by(
                format!("Invalid {key} parameter"),
                "NumberFormatException",
                format!("For input string: \"{text}\""),
            )
        }),
    }
}

/// The same schema, required (AvroData's `nonOptional`).
fn non_optional(schema: &Schema) -> Result<Schema> {
    if !schema.is_optional() {
        return Ok(schema.clone());
    }
    schema.to_builder().required().build()
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

fn invalid_default(schema: &Schema, value: &Value) -> ConnectError {
    ConnectError::data(format!(
        "Invalid type used for default value of {} field: {}",
        schema.kind(),
        value.java_class_name()
    ))
}

/// AvroData's `defaultValueFromConnect`.
fn default_to_json(config: &AvroDataConfig, schema: &Schema, value: &Value) -> Result<Json> {
    if value.is_null() {
        return Ok(Json::Null);
    }
    let bad = || invalid_default(schema, value);
    Ok(match (schema.kind(), value) {
        (SchemaType::Bytes, Value::Decimal(d)) => Json::String(latin1(
            &connect_core::logical::decimal_from_logical(schema, d)?,
        )),
        (SchemaType::Int32, Value::Timestamp(ms)) => Json::Int(i64::from(match schema.name() {
            Some(DATE_NAME) => connect_core::logical::date_from_logical(schema, *ms)?,
            _ => connect_core::logical::time_from_logical(schema, *ms)?,
        })),
        (SchemaType::Int64, Value::Timestamp(ms)) => Json::Int(*ms),
        (SchemaType::Int8, Value::Int8(v)) => Json::Int(i64::from(*v)),
        (SchemaType::Int16, Value::Int16(v)) => Json::Int(i64::from(*v)),
        (SchemaType::Int32, Value::Int32(v)) => Json::Int(i64::from(*v)),
        (SchemaType::Int64, Value::Int64(v)) => Json::Int(*v),
        (SchemaType::Float32, Value::Float32(v)) => Json::Float(*v),
        (SchemaType::Float64, Value::Float64(v)) => Json::Double(*v),
        (SchemaType::Boolean, Value::Boolean(v)) => Json::Bool(*v),
        (SchemaType::String, Value::String(v)) => Json::String(v.clone()),
        (SchemaType::Bytes, Value::Bytes(v)) => Json::String(latin1(v)),
        (SchemaType::Array, Value::Array(items)) => {
            let items_schema = schema.value_schema().ok_or_else(bad)?;
            Json::Array(
                items
                    .iter()
                    .map(|i| default_to_json(config, items_schema, i))
                    .collect::<Result<_>>()?,
            )
        }
        (SchemaType::Map, Value::Map(entries)) => {
            let (keys, values) = schema
                .key_schema()
                .zip(schema.value_schema())
                .ok_or_else(bad)?;
            if keys.kind() == SchemaType::String && !keys.is_optional() {
                let mut members = Vec::with_capacity(entries.len());
                for (k, v) in entries {
                    let key = k.as_str().ok_or_else(bad)?.to_string();
                    let v = default_to_json(config, values, v)?;
                    // Later puts replace earlier ones, as in Jackson's ObjectNode.
                    members.retain(|(existing, _): &(String, Json)| *existing != key);
                    members.push((key, v));
                }
                Json::Object(members)
            } else {
                Json::Array(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            Ok(Json::Array(vec![
                                default_to_json(config, keys, k)?,
                                default_to_json(config, values, v)?,
                            ]))
                        })
                        .collect::<Result<_>>()?,
                )
            }
        }
        (SchemaType::Struct, Value::Struct(s)) => {
            let union = is_union_schema(schema);
            let mut members = Vec::with_capacity(schema.fields().len());
            for field in schema.fields() {
                let field_value = s.get(field.name())?;
                let json = default_to_json(config, field.schema(), field_value)?;
                if union {
                    return Ok(json);
                }
                let name = if config.scrub_invalid_names {
                    scrub_name(field.name())
                } else {
                    field.name().to_string()
                };
                members.push((name, json));
            }
            Json::Object(members)
        }
        _ => return Err(bad()),
    })
}

/// Avro Java 1.11's `isValidDefault`: whether a default fits a type (for a union, its first
/// branch).
fn is_valid_default(schema: &AvroSchema, id: NodeId, value: &Json) -> bool {
    let node = schema.node(id);
    match &node.kind {
        Kind::String | Kind::Bytes | Kind::Enum(_) | Kind::Fixed(_) => {
            matches!(value, Json::String(_))
        }
        Kind::Int => matches!(value, Json::Int(v) if i32::try_from(*v).is_ok()),
        Kind::Long => matches!(value, Json::Int(_)),
        Kind::Float | Kind::Double => value.is_number(),
        Kind::Boolean => matches!(value, Json::Bool(_)),
        Kind::Null => matches!(value, Json::Null),
        Kind::Array(items) => match value {
            Json::Array(elements) => elements.iter().all(|e| is_valid_default(schema, *items, e)),
            _ => false,
        },
        Kind::Map(values) => match value {
            Json::Object(members) => members
                .iter()
                .all(|(_, v)| is_valid_default(schema, *values, v)),
            _ => false,
        },
        Kind::Union(branches) => branches
            .first()
            .is_some_and(|first| is_valid_default(schema, *first, value)),
        Kind::Record(record) => match value {
            Json::Object(_) => {
                record
                    .fields
                    .iter()
                    .all(|f| match value.get(&f.name).or(f.default.as_ref()) {
                        Some(v) => is_valid_default(schema, f.schema, v),
                        None => false,
                    })
            }
            _ => false,
        },
    }
}

/// The Connect schema AvroData derives from an Avro schema; `None` for the schemaless
/// `Anything` schema. `version` (the registry's version of the schema) is used when the
/// schema carries no `connect.version`.
pub fn to_connect_schema(
    config: &AvroDataConfig,
    schema: &AvroSchema,
    version: Option<i32>,
) -> Result<Option<Schema>> {
    if schema.to_canonical_string()? == anything_schema_text() {
        return Ok(None);
    }
    let mut ctx = ToConnect {
        config,
        schema,
        in_progress: Vec::new(),
    };
    ctx.convert(schema.root(), false, None, version).map(Some)
}

struct ToConnect<'a> {
    config: &'a AvroDataConfig,
    schema: &'a AvroSchema,
    in_progress: Vec<NodeId>,
}

/// The name AvroData gives the Connect field standing for one branch of an Avro union.
pub fn union_member_field_name(config: &AvroDataConfig, node: &Node) -> String {
    match node.name() {
        Some(name) if config.enhanced_schema_support => name.full().to_string(),
        Some(name) => name.simple().to_string(),
        None => node.type_name().to_string(),
    }
}

impl ToConnect<'_> {
    fn convert(
        &mut self,
        id: NodeId,
        force_optional: bool,
        field_default: Option<&Json>,
        version: Option<i32>,
    ) -> Result<Schema> {
        let node = self.schema.node(id);
        let connect_type = node.prop_str(CONNECT_TYPE_PROP);
        let logical = node.prop_str(LOGICAL_TYPE_PROP);
        let is_logical = |name: &str| logical.is_some_and(|l| l.eq_ignore_ascii_case(name));
        // Logical builders come with a name and version of their own.
        let mut preset_name: Option<&str> = None;
        let mut builder = match &node.kind {
            Kind::Boolean => SchemaBuilder::boolean(),
            Kind::Bytes | Kind::Fixed(_) => {
                let mut builder = if is_logical("decimal") {
                    let scale = match node.prop("scale") {
                        Some(s) if s.is_number() => s.int_value().unwrap_or(0),
                        _ => 0,
                    };
                    preset_name = Some(DECIMAL_NAME);
                    let mut builder = decimal_schema(scale);
                    if let Some(precision) = node.prop("precision") {
                        let Some(precision) = precision.is_number().then(|| precision.int_value())
                        else {
                            return Err(ConnectError::data(
                                "precision property must be a JSON Integer. https://avro.apache.org/docs/1.9.1/spec.html#Decimal",
                            ));
                        };
                        let precision = precision.unwrap_or(0);
                        if i64::from(precision) != DEFAULT_DECIMAL_PRECISION {
                            builder = builder
                                .parameter(DECIMAL_PRECISION_PARAMETER, precision.to_string());
                        }
                    }
                    builder
                } else {
                    SchemaBuilder::bytes()
                };
                if let Kind::Fixed(fixed) = &node.kind {
                    builder = builder.parameter(FIXED_SIZE_PARAMETER, fixed.size.to_string());
                }
                builder
            }
            Kind::Double => SchemaBuilder::float64(),
            Kind::Float => SchemaBuilder::float32(),
            Kind::Int => match (connect_type, logical) {
                (None, None) => SchemaBuilder::int32(),
                (_, Some(_)) if is_logical("date") => {
                    preset_name = Some(DATE_NAME);
                    date_schema()
                }
                (_, Some(_)) if is_logical("time-millis") => {
                    preset_name = Some(TIME_NAME);
                    time_schema()
                }
                (_, Some(_)) => SchemaBuilder::int32(),
                (Some("int8"), None) => SchemaBuilder::int8(),
                (Some("int16"), None) => SchemaBuilder::int16(),
                (Some(_), None) => {
                    return Err(ConnectError::data(
                        "Connect type annotation for Avro int field is null",
                    ));
                }
            },
            Kind::Long => {
                if is_logical("timestamp-millis") {
                    preset_name = Some(TIMESTAMP_NAME);
                    timestamp_schema()
                } else {
                    SchemaBuilder::int64()
                }
            }
            Kind::String => SchemaBuilder::string(),
            Kind::Array(items) => {
                let element = self.schema.node(*items);
                if is_map_entry(element) {
                    let Kind::Record(entry) = &element.kind else {
                        return Err(map_entry_error());
                    };
                    let key = entry.fields.iter().find(|f| f.name == "key");
                    let value = entry.fields.iter().find(|f| f.name == "value");
                    let (2, Some(key), Some(value)) = (entry.fields.len(), key, value) else {
                        return Err(map_entry_error());
                    };
                    let (key, value) = (key.schema, value.schema);
                    SchemaBuilder::map(
                        self.convert(key, false, None, None)?,
                        self.convert(value, false, None, None)?,
                    )
                } else {
                    SchemaBuilder::array(self.convert(*items, false, None, None)?)
                }
            }
            Kind::Map(values) => SchemaBuilder::map(
                Schema::primitive(SchemaType::String, false)
                    .ok_or_else(|| ConnectError::data("no string schema"))?,
                self.convert(*values, false, None, None)?,
            ),
            Kind::Record(record) => {
                if self.in_progress.contains(&id) {
                    return Err(ConnectError::data(format!(
                        "Recursive Avro schemas cannot be represented as Connect schemas: {}",
                        record.name.full()
                    )));
                }
                self.in_progress.push(id);
                let mut builder = SchemaBuilder::structure();
                if self.config.connect_meta_data
                    && let Some(doc) = &record.doc
                {
                    builder = builder.parameter(RECORD_DOC_PARAMETER, doc.clone());
                }
                for field in &record.fields {
                    if self.config.connect_meta_data
                        && let Some(doc) = &field.doc
                    {
                        builder = builder
                            .parameter(format!("{FIELD_DOC_PREFIX}{}", field.name), doc.clone());
                    }
                    let field_schema =
                        self.convert(field.schema, false, field.default.as_ref(), None)?;
                    builder = builder.field(field.name.clone(), field_schema);
                }
                self.in_progress.pop();
                builder
            }
            Kind::Enum(en) => {
                let mut builder = SchemaBuilder::string();
                if self.config.connect_meta_data {
                    if let Some(doc) = &en.doc {
                        builder = builder.parameter(
                            format!("{ENUM_DOC_PREFIX}{}", en.name.simple()),
                            doc.clone(),
                        );
                    }
                    if let Some(default) = &en.default {
                        builder = builder.parameter(
                            format!("{ENUM_DEFAULT_PREFIX}{}", en.name.simple()),
                            default.clone(),
                        );
                    }
                }
                builder = builder.parameter(ENUM_PARAMETER, en.name.full());
                for symbol in &en.symbols {
                    builder =
                        builder.parameter(format!("{ENUM_PARAMETER}.{symbol}"), symbol.clone());
                }
                builder
            }
            Kind::Union(branches) => {
                if branches.len() == 2
                    && let Some(null_at) = branches
                        .iter()
                        .position(|b| matches!(self.schema.node(*b).kind, Kind::Null))
                {
                    let member = branches[1 - null_at];
                    return self.convert(member, true, None, None);
                }
                let mut builder = SchemaBuilder::structure().name(UNION_NAME);
                preset_name = Some(UNION_NAME);
                let mut names: Vec<String> = Vec::new();
                for branch in branches {
                    let member = self.schema.node(*branch);
                    if matches!(member.kind, Kind::Null) {
                        builder = builder.optional();
                        continue;
                    }
                    let name = union_member_field_name(self.config, member);
                    if names.contains(&name) {
                        return Err(ConnectError::data(
                            "Multiple union schemas map to the Connect union field name",
                        ));
                    }
                    names.push(name.clone());
                    builder = builder.field(name, self.convert(*branch, true, None, None)?);
                }
                builder
            }
            Kind::Null => {
                return Err(ConnectError::data(
                    "Standalone null schemas are not supported by this converter",
                ));
            }
        };

        if self.config.connect_meta_data
            && let Some(doc) = node.prop_str(CONNECT_DOC_PROP)
        {
            builder = builder.doc(doc);
        }

        let version = match node.prop(CONNECT_VERSION_PROP) {
            Some(v) if v.is_number() => v.int_value(),
            Some(v) => {
                return Err(ConnectError::data(format!(
                    "Invalid Connect version found: {}",
                    v.to_java_string()
                )));
            }
            None => version,
        };
        if let Some(version) = version.filter(|v| *v >= 0) {
            // The logical builders (and only they) come with version 1.
            if preset_name.is_some_and(|n| n != UNION_NAME) {
                if version != 1 {
                    return Err(ConnectError::data(format!(
                        "Mismatched versions: version already added to SchemaBuilder (1) differs from version in source schema ({version})"
                    )));
                }
            } else {
                builder = builder.version(version);
            }
        }

        if self.config.connect_meta_data
            && let Some(params) = node.prop(CONNECT_PARAMETERS_PROP)
        {
            let Json::Object(members) = params else {
                return Err(ConnectError::data(format!(
                    "Expected JSON object for schema parameters but found: {}",
                    params.to_java_string()
                )));
            };
            for (k, v) in members {
                let Json::String(v) = v else {
                    return Err(ConnectError::data(format!(
                        "Expected schema parameter values to be strings but found: {}",
                        v.to_java_string()
                    )));
                };
                builder = builder.parameter(k.clone(), v.clone());
            }
        }
        for (k, v) in node.props.iter().filter(|(k, _)| k.starts_with("avro")) {
            builder = builder.parameter(k.clone(), v.to_java_string());
        }

        let connect_default = node.prop(CONNECT_DEFAULT_PROP);
        let default = match field_default {
            None => connect_default,
            Some(field_default) => {
                if self.config.connect_meta_data && connect_default.is_none() {
                    builder = builder.parameter(FIELD_DEFAULT_FLAG, "true");
                }
                Some(field_default)
            }
        };

        let name = match node.prop(CONNECT_NAME_PROP) {
            Some(Json::String(name)) => Some(name.as_str()),
            Some(other) => {
                return Err(ConnectError::data(format!(
                    "Invalid schema name: {}",
                    other.to_java_string()
                )));
            }
            None => node.name().map(Name::full),
        };
        if let Some(name) = name.filter(|n| !n.starts_with(DEFAULT_SCHEMA_FULL_NAME)) {
            match preset_name {
                Some(preset) if preset != name => {
                    return Err(ConnectError::data(format!(
                        "Mismatched names: name already added to SchemaBuilder ({preset}) differs from name in source schema ({name})"
                    )));
                }
                Some(_) => {}
                None => builder = builder.name(name),
            }
        }
        if force_optional {
            builder = builder.optional();
        }

        if let Some(default) = default {
            let bare = builder.clone().build()?;
            match default_from_json(self.config, self.schema, &bare, id, default) {
                Ok(value) => {
                    let with_default = builder.clone().default_value(value);
                    match with_default.build() {
                        Ok(schema) => return Ok(schema),
                        Err(e) => {
                            tracing::warn!(error = %e, "Ignoring invalid default for Avro schema.")
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "Ignoring invalid default for Avro schema."),
            }
        }
        builder.build()
    }
}

fn is_map_entry(node: &Node) -> bool {
    match &node.kind {
        Kind::Record(record) => {
            (record.name.namespace() == Some(NAMESPACE)
                && record.name.simple() == MAP_ENTRY_TYPE_NAME)
                || node.prop_str(CONNECT_INTERNAL_TYPE_PROP) == Some(MAP_ENTRY_TYPE_NAME)
        }
        _ => false,
    }
}

/// Whether an Avro array stands for a Connect map with non-string keys.
pub fn is_map_entry_array(schema: &AvroSchema, id: NodeId) -> bool {
    match schema.node(id).kind {
        Kind::Array(items) => is_map_entry(schema.node(items)),
        _ => false,
    }
}

fn map_entry_error() -> ConnectError {
    ConnectError::data(
        "Found map encoded as array of key-value pairs, but array elements do not match the expected format.",
    )
}

/// A default written in Avro's JSON form (a field default or `connect.default`) as the
/// Connect value AvroData's `defaultValueFromAvro` makes of it.
pub fn default_from_json(
    config: &AvroDataConfig,
    avro: &AvroSchema,
    connect: &Schema,
    id: NodeId,
    json: &Json,
) -> Result<Value> {
    let value = default_from_json_raw(config, avro, connect, id, json)?;
    to_logical(connect, value)
}

/// Turns the physical value of a logical type into its Connect form.
fn to_logical(connect: &Schema, value: Value) -> Result<Value> {
    Ok(match (connect.name(), value) {
        (Some(DECIMAL_NAME), Value::Bytes(bytes)) => {
            Value::Decimal(connect_core::logical::decimal_to_logical(connect, &bytes)?)
        }
        (Some(DATE_NAME), Value::Int32(days)) => Value::Timestamp(i64::from(days) * MILLIS_PER_DAY),
        (Some(TIME_NAME), Value::Int32(millis)) => Value::Timestamp(i64::from(millis)),
        (Some(TIMESTAMP_NAME), Value::Int64(millis)) => Value::Timestamp(millis),
        (_, value) => value,
    })
}

fn default_from_json_raw(
    config: &AvroDataConfig,
    avro: &AvroSchema,
    connect: &Schema,
    id: NodeId,
    json: &Json,
) -> Result<Value> {
    if matches!(json, Json::Null) {
        return Ok(Value::Null);
    }
    let node = avro.node(id);
    Ok(match &node.kind {
        Kind::Null => Value::Null,
        Kind::Int => {
            let v = json.int_value().unwrap_or(0);
            match connect.kind() {
                SchemaType::Int8 => Value::Int8(v as i8),
                SchemaType::Int16 => Value::Int16(v as i16),
                SchemaType::Int32 => Value::Int32(v),
                _ => Value::Null,
            }
        }
        Kind::Long => Value::Int64(json.long_value().unwrap_or(0)),
        Kind::Float => Value::Float32(json.double_value().unwrap_or(0.0) as f32),
        Kind::Double => Value::Float64(json.double_value().unwrap_or(0.0)),
        Kind::Boolean => Value::Boolean(match json {
            Json::Bool(b) => *b,
            Json::String(s) => s.trim() == "true",
            Json::Int(v) => *v != 0,
            _ => false,
        }),
        Kind::String | Kind::Enum(_) => Value::String(json.to_java_string()),
        Kind::Bytes | Kind::Fixed(_) => match json {
            Json::String(s) => Value::Bytes(s.chars().map(|c| c as u32 as u8).collect()),
            _ => Value::Null,
        },
        Kind::Array(items) => {
            let Json::Array(elements) = json else {
                return Err(ConnectError::data("Invalid JSON for array default value"));
            };
            let element_schema = match connect.kind() {
                SchemaType::Array => connect.value_schema(),
                _ => None,
            }
            .ok_or_else(|| ConnectError::data("Cannot look up fields on non-struct type"))?;
            Value::Array(
                elements
                    .iter()
                    .map(|e| default_from_json(config, avro, element_schema, *items, e))
                    .collect::<Result<_>>()?,
            )
        }
        Kind::Map(values) => {
            let Json::Object(members) = json else {
                return Err(ConnectError::data("Invalid JSON for map default value"));
            };
            let value_schema = connect
                .value_schema()
                .ok_or_else(|| ConnectError::data("Invalid JSON for map default value"))?;
            Value::Map(
                members
                    .iter()
                    .map(|(k, v)| {
                        Ok((
                            Value::String(k.clone()),
                            default_from_json(config, avro, value_schema, *values, v)?,
                        ))
                    })
                    .collect::<Result<_>>()?,
            )
        }
        Kind::Record(record) => {
            if !matches!(json, Json::Object(_)) {
                return Err(ConnectError::data("Invalid JSON for record default value"));
            }
            let mut result = Struct::new(connect.clone())?;
            for avro_field in &record.fields {
                let field = connect.field(&avro_field.name).ok_or_else(|| {
                    ConnectError::data(format!("{} is not a valid field name", avro_field.name))
                })?;
                let value = match json.get(&avro_field.name) {
                    Some(v) => {
                        default_from_json(config, avro, field.schema(), avro_field.schema, v)?
                    }
                    None => Value::Null,
                };
                result.put(&avro_field.name, value)?;
            }
            Value::Struct(result)
        }
        Kind::Union(branches) => {
            let Some(&first) = branches.first() else {
                return Ok(Value::Null);
            };
            let member = avro.node(first);
            if matches!(member.kind, Kind::Null) {
                return Ok(Value::Null);
            }
            if is_union_schema(connect) {
                let field_name = union_member_field_name(config, member);
                let field = connect.field(&field_name).ok_or_else(|| {
                    ConnectError::data(format!("{field_name} is not a valid field name"))
                })?;
                let value = default_from_json(config, avro, field.schema(), first, json)?;
                let mut result = Struct::new(connect.clone())?;
                result.put(&field_name, value)?;
                Value::Struct(result)
            } else {
                default_from_json(config, avro, connect, first, json)?
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::logical::decimal_schema;

    fn string() -> Schema {
        Schema::primitive(SchemaType::String, false).expect("primitive")
    }

    fn text(schema: &Schema, config: AvroDataConfig) -> Result<String> {
        from_connect_schema(&config, Some(schema))?.to_canonical_string()
    }

    #[test]
    fn anything_schema_prints_as_confluent_registers_it() {
        assert_eq!(
            anything_schema_text(),
            r#"{"type":"record","name":"Anything","namespace":"io.confluent.connect.avro","fields":[{"name":"boolean","type":["null","boolean"],"default":null},{"name":"bytes","type":["null","bytes"],"default":null},{"name":"double","type":["null","double"],"default":null},{"name":"float","type":["null","float"],"default":null},{"name":"int","type":["null","int"],"default":null},{"name":"long","type":["null","long"],"default":null},{"name":"string","type":["null","string"],"default":null},{"name":"array","type":["null",{"type":"array","items":"Anything"}],"default":null},{"name":"map","type":["null",{"type":"array","items":{"type":"record","name":"MapEntry","fields":[{"name":"key","type":"Anything"},{"name":"value","type":"Anything"}]}}],"default":null}]}"#
        );
    }

    #[test]
    fn float_defaults_widen_in_the_field_default_only() {
        let schema = SchemaBuilder::structure()
            .name("r.F")
            .field(
                "f",
                SchemaBuilder::float32()
                    .default_value(Value::Float32(1.1))
                    .build()
                    .expect("schema"),
            )
            .build()
            .expect("schema");
        assert_eq!(
            text(&schema, AvroDataConfig::default()).expect("converts"),
            r#"{"type":"record","name":"F","namespace":"r","fields":[{"name":"f","type":{"type":"float","connect.default":1.1},"default":1.100000023841858}],"connect.name":"r.F"}"#
        );
    }

    #[test]
    fn enum_strings_become_avro_enums_with_enhanced_support() {
        let schema = SchemaBuilder::string()
            .name("com.example.Color")
            .parameter(ENUM_PARAMETER, "com.example.Color")
            .parameter(format!("{ENUM_PARAMETER}.RED"), "RED")
            .parameter(format!("{ENUM_PARAMETER}.GREEN"), "GREEN")
            .build()
            .expect("schema");
        let config = AvroDataConfig {
            enhanced_schema_support: true,
            ..AvroDataConfig::default()
        };
        assert_eq!(
            text(&schema, config).expect("converts"),
            r#"{"type":"enum","name":"Color","namespace":"com.example","symbols":["RED","GREEN"],"connect.parameters":{"io.confluent.connect.avro.Enum":"com.example.Color","io.confluent.connect.avro.Enum.RED":"RED","io.confluent.connect.avro.Enum.GREEN":"GREEN"},"connect.name":"com.example.Color"}"#
        );
    }

    #[test]
    fn scrubbing_rewrites_invalid_names_and_keeps_the_connect_name() {
        assert_eq!(scrub_name("my-field"), "my_field");
        assert_eq!(scrub_name("1st"), "x1st");
        assert_eq!(scrub_name("ok_name"), "ok_name");
        assert_eq!(scrub_name("a b"), "a_b");
        let schema = SchemaBuilder::structure()
            .name("com.example.Bad-Name")
            .field("my-field", string())
            .build()
            .expect("schema");
        let config = AvroDataConfig {
            scrub_invalid_names: true,
            ..AvroDataConfig::default()
        };
        assert_eq!(
            text(&schema, config).expect("converts"),
            r#"{"type":"record","name":"Bad_Name","namespace":"com.example","fields":[{"name":"my_field","type":"string"}],"connect.name":"com.example.Bad-Name"}"#
        );
        let err = text(&schema, AvroDataConfig::default()).expect_err("invalid name");
        assert_eq!(err.message(), "Illegal character in: Bad-Name");
    }

    #[test]
    fn decimals_outside_avro_limits_keep_only_the_legacy_property() {
        let schema = decimal_schema(-2).build().expect("schema");
        assert_eq!(
            text(&schema, AvroDataConfig::default()).expect("converts"),
            r#"{"type":"bytes","scale":-2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"-2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}"#
        );
    }

    #[test]
    fn connect_schemas_survive_the_round_trip() {
        let address = SchemaBuilder::structure()
            .name("com.example.Address")
            .field("city", string())
            .build()
            .expect("schema");
        let schema = SchemaBuilder::structure()
            .name("com.example.Order")
            .version(2)
            .doc("an order")
            .field("a", address.clone())
            .field(
                "b",
                address.to_builder().optional().build().expect("schema"),
            )
            .field(
                "counts",
                SchemaBuilder::map(
                    Schema::primitive(SchemaType::Int32, false).expect("primitive"),
                    Schema::primitive(SchemaType::Int64, true).expect("primitive"),
                )
                .build()
                .expect("schema"),
            )
            .field(
                "n",
                SchemaBuilder::int16()
                    .default_value(Value::Int16(7))
                    .build()
                    .expect("schema"),
            )
            .build()
            .expect("schema");
        let config = AvroDataConfig::default();
        let avro = from_connect_schema(&config, Some(&schema)).expect("converts");
        let text = avro.to_canonical_string().expect("prints");
        let back = to_connect_schema(&config, &AvroSchema::parse(&text).expect("parses"), None)
            .expect("converts back")
            .expect("has a schema");
        assert_eq!(back, schema);
    }
}
