//! Connect values to Avro binary, with AvroData's `fromConnectData` rules.
//!
//! A plan is compiled once per (Connect schema, Avro writer schema) pair and cached by the
//! converter; encoding a record then walks the plan and the value together and writes bytes
//! directly, with no intermediate Avro value tree and no per-record schema lookups. The
//! writer schema is normally the one derived from the Connect schema, or the subject's
//! latest schema with `use.latest.version` (fields matched by name, missing ones filled
//! from the Avro default). Rules kept from AvroData: a null struct field is replaced by the
//! field's default, maps with string keys are written in `java.util.HashMap` order, a
//! top-level `bytes` schema is written raw (no length), and schemaless values use the
//! `Anything` record.

use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::{ConnectError, Result, Schema, SchemaType, Value};

use super::binary::{write_bytes, write_double, write_float, write_long};
use super::data::{self, AvroDataConfig, ENUM_PARAMETER, FIXED_SIZE_PARAMETER, is_union_schema};
use super::java_map_order::hash_map_order;
use super::json::Json;
use super::schema::{AvroSchema, Kind, NodeId};

/// How to write one Connect value.
#[derive(Debug, Clone)]
enum Enc {
    Int8,
    Int16,
    Int32,
    Int64,
    Float32,
    Float64,
    Boolean,
    String,
    Bytes,
    /// A Connect integer written as a wider Avro type (`use.latest.version` only).
    Promote(Box<Enc>, Kind),
    Decimal {
        schema: Schema,
        fixed: Option<usize>,
    },
    Date(Schema),
    Time(Schema),
    Timestamp(Schema),
    /// A string written as an Avro enum symbol.
    EnumSymbol(Vec<String>),
    /// Bytes written as an Avro fixed.
    Fixed(usize),
    /// A Connect string written as Avro bytes, or bytes as a string (`use.latest.version`).
    StringAsBytes,
    BytesAsString,
    /// An optional Connect value in an Avro union.
    Optional {
        null_index: Option<i64>,
        value_index: i64,
        inner: Box<Enc>,
    },
    Array(Box<Enc>),
    Map(Box<Enc>),
    MapEntries {
        key: Box<Enc>,
        value: Box<Enc>,
    },
    Struct {
        schema: Schema,
        fields: Vec<FieldEnc>,
    },
    UnionStruct {
        schema: Schema,
        null_index: Option<i64>,
        branches: Vec<(i64, Enc)>,
    },
    Anything,
}

#[derive(Debug, Clone)]
enum FieldEnc {
    /// A Connect field (by position) written with its plan.
    Connect { index: usize, enc: Enc },
    /// An Avro field the Connect schema lacks: its default, encoded once.
    Constant(Vec<u8>),
}

/// A compiled encoder for one Connect schema and one Avro writer schema.
#[derive(Debug, Clone)]
pub struct EncodePlan {
    root: Enc,
    /// Confluent writes a top-level `bytes` value without its length.
    raw_bytes: bool,
}

fn invalid_type(schema_type: &str, value: &Value) -> ConnectError {
    ConnectError::data(format!(
        "Invalid type for {schema_type}: class {}",
        value.java_class_name()
    ))
}

fn null_for_required() -> ConnectError {
    ConnectError::data("Found null value for non-optional schema")
}

fn incompatible(connect: &Schema, avro: &str) -> ConnectError {
    ConnectError::data(format!(
        "Cannot write Connect {} schema{} with Avro schema of type {avro}",
        connect.kind(),
        connect.name().map(|n| format!(" {n}")).unwrap_or_default()
    ))
}

impl EncodePlan {
    /// Compiles the plan; fails when the Connect schema cannot be written with `avro`.
    pub fn new(
        config: &AvroDataConfig,
        connect: Option<&Schema>,
        avro: &AvroSchema,
    ) -> Result<Self> {
        let Some(connect) = connect else {
            return Ok(Self {
                root: Enc::Anything,
                raw_bytes: false,
            });
        };
        let compiler = Compiler { config, avro };
        let root = compiler.compile(connect, avro.root())?;
        Ok(Self {
            root,
            raw_bytes: matches!(avro.root_node().kind, Kind::Bytes),
        })
    }

    /// Appends the encoding of `value` (non-null at the top level: nulls are tombstones).
    pub fn encode(&self, value: &Value, out: &mut Vec<u8>) -> Result<()> {
        if self.raw_bytes {
            match (&self.root, value) {
                (Enc::Bytes, Value::Bytes(bytes)) => {
                    out.extend_from_slice(bytes);
                    return Ok(());
                }
                (Enc::Decimal { schema, .. }, Value::Decimal(d)) => {
                    out.extend_from_slice(&logical::decimal_from_logical(schema, d)?);
                    return Ok(());
                }
                _ => {}
            }
        }
        write(&self.root, value, out)
    }
}

struct Compiler<'a> {
    config: &'a AvroDataConfig,
    avro: &'a AvroSchema,
}

impl Compiler<'_> {
    fn compile(&self, connect: &Schema, id: NodeId) -> Result<Enc> {
        let node = self.avro.node(id);
        if connect.is_optional()
            && !is_union_schema(connect)
            && let Kind::Union(branches) = &node.kind
        {
            let null_index = branches
                .iter()
                .position(|b| matches!(self.avro.node(*b).kind, Kind::Null))
                .map(|i| i as i64);
            let (value_index, branch) = self.select_branch(connect, branches)?;
            return Ok(Enc::Optional {
                null_index,
                value_index,
                inner: Box::new(self.compile_required(connect, branch)?),
            });
        }
        self.compile_required(connect, id)
    }

    /// The union branch a (non-null) Connect value of this schema is written to: the first
    /// of the same Avro type (same name for named types), else the first it can be
    /// promoted to.
    fn select_branch(&self, connect: &Schema, branches: &[NodeId]) -> Result<(i64, NodeId)> {
        let candidates = || {
            branches
                .iter()
                .enumerate()
                .filter(|(_, b)| !matches!(self.avro.node(**b).kind, Kind::Null))
        };
        for exact in [true, false] {
            for (i, b) in candidates() {
                if self.matches(connect, *b, exact) {
                    return Ok((i as i64, *b));
                }
            }
        }
        Err(incompatible(connect, "union"))
    }

    fn matches(&self, connect: &Schema, id: NodeId, exact: bool) -> bool {
        let node = self.avro.node(id);
        let named = |expected: Option<&str>| match (node.name(), expected) {
            (Some(name), Some(expected)) => !exact || name.full() == expected,
            (Some(name), None) => !exact || name.full().starts_with(data::DEFAULT_SCHEMA_FULL_NAME),
            _ => false,
        };
        let connect_name = connect.name().map(|n| {
            if self.config.scrub_invalid_names {
                n.split('.')
                    .map(data::scrub_name)
                    .collect::<Vec<_>>()
                    .join(".")
            } else {
                n.to_string()
            }
        });
        match (connect.kind(), &node.kind) {
            (SchemaType::Int8 | SchemaType::Int16 | SchemaType::Int32, Kind::Int) => true,
            (SchemaType::Int8 | SchemaType::Int16 | SchemaType::Int32, Kind::Long) => !exact,
            (SchemaType::Int64, Kind::Long) => true,
            (
                SchemaType::Int8 | SchemaType::Int16 | SchemaType::Int32 | SchemaType::Int64,
                Kind::Float | Kind::Double,
            ) => !exact && connect.name().is_none(),
            (SchemaType::Float32, Kind::Float) => true,
            (SchemaType::Float32, Kind::Double) => !exact,
            (SchemaType::Float64, Kind::Double) => true,
            (SchemaType::Boolean, Kind::Boolean) => true,
            (SchemaType::String, Kind::String) => true,
            (SchemaType::String, Kind::Enum(e)) => connect
                .parameter(ENUM_PARAMETER)
                .is_some_and(|n| !exact || n == e.name.full()),
            (SchemaType::String, Kind::Bytes) => !exact,
            (SchemaType::Bytes, Kind::Bytes) => true,
            (SchemaType::Bytes, Kind::Fixed(_)) => {
                connect.parameter(FIXED_SIZE_PARAMETER).is_some() && named(connect_name.as_deref())
            }
            (SchemaType::Bytes, Kind::String) => !exact && connect.name().is_none(),
            (SchemaType::Array, Kind::Array(_)) => !data::is_map_entry_array(self.avro, id),
            (SchemaType::Map, Kind::Map(_)) => true,
            (SchemaType::Map, Kind::Array(_)) => data::is_map_entry_array(self.avro, id),
            (SchemaType::Struct, Kind::Record(_)) => named(connect_name.as_deref()),
            _ => false,
        }
    }

    fn compile_required(&self, connect: &Schema, id: NodeId) -> Result<Enc> {
        let node = self.avro.node(id);
        if is_union_schema(connect) {
            let Kind::Union(branches) = &node.kind else {
                return Err(incompatible(connect, node.type_name()));
            };
            let null_index = branches
                .iter()
                .position(|b| matches!(self.avro.node(*b).kind, Kind::Null))
                .map(|i| i as i64);
            let mut plans = Vec::with_capacity(connect.fields().len());
            for field in connect.fields() {
                let (index, branch) = self.select_branch(field.schema(), branches)?;
                plans.push((index, self.compile_required(field.schema(), branch)?));
            }
            return Ok(Enc::UnionStruct {
                schema: connect.clone(),
                null_index,
                branches: plans,
            });
        }
        let name = connect.name();
        Ok(match (connect.kind(), name, &node.kind) {
            (SchemaType::Bytes, Some(DECIMAL_NAME), Kind::Bytes) => Enc::Decimal {
                schema: connect.clone(),
                fixed: None,
            },
            (SchemaType::Bytes, Some(DECIMAL_NAME), Kind::Fixed(f)) => Enc::Decimal {
                schema: connect.clone(),
                fixed: Some(f.size),
            },
            (SchemaType::Int32, Some(DATE_NAME), Kind::Int) => Enc::Date(connect.clone()),
            (SchemaType::Int32, Some(TIME_NAME), Kind::Int) => Enc::Time(connect.clone()),
            (SchemaType::Int64, Some(TIMESTAMP_NAME), Kind::Long) => {
                Enc::Timestamp(connect.clone())
            }
            (SchemaType::Int8, _, Kind::Int) => Enc::Int8,
            (SchemaType::Int16, _, Kind::Int) => Enc::Int16,
            (SchemaType::Int32, _, Kind::Int) => Enc::Int32,
            (SchemaType::Int64, _, Kind::Long) => Enc::Int64,
            (SchemaType::Float32, _, Kind::Float) => Enc::Float32,
            (SchemaType::Float64, _, Kind::Double) => Enc::Float64,
            (SchemaType::Boolean, _, Kind::Boolean) => Enc::Boolean,
            (SchemaType::String, _, Kind::String) => Enc::String,
            (SchemaType::String, _, Kind::Enum(e)) => Enc::EnumSymbol(e.symbols.clone()),
            (SchemaType::String, _, Kind::Bytes) => Enc::StringAsBytes,
            (SchemaType::Bytes, _, Kind::Bytes) => Enc::Bytes,
            (SchemaType::Bytes, _, Kind::String) => Enc::BytesAsString,
            (SchemaType::Bytes, _, Kind::Fixed(f)) => Enc::Fixed(f.size),
            (
                SchemaType::Int8
                | SchemaType::Int16
                | SchemaType::Int32
                | SchemaType::Int64
                | SchemaType::Float32,
                None,
                Kind::Long | Kind::Float | Kind::Double,
            ) => {
                let base = match connect.kind() {
                    SchemaType::Int8 => Enc::Int8,
                    SchemaType::Int16 => Enc::Int16,
                    SchemaType::Int32 => Enc::Int32,
                    SchemaType::Int64 => Enc::Int64,
                    _ => Enc::Float32,
                };
                if matches!(
                    (&base, &node.kind),
                    (Enc::Int64, Kind::Long) | (Enc::Float32, Kind::Long)
                ) {
                    return Err(incompatible(connect, node.type_name()));
                }
                Enc::Promote(Box::new(base), node.kind.clone())
            }
            (SchemaType::Array, _, Kind::Array(items)) => {
                let element = connect
                    .value_schema()
                    .ok_or_else(|| incompatible(connect, "array"))?;
                Enc::Array(Box::new(self.compile(element, *items)?))
            }
            (SchemaType::Map, _, Kind::Map(values)) => {
                let value_schema = connect
                    .value_schema()
                    .ok_or_else(|| incompatible(connect, "map"))?;
                Enc::Map(Box::new(self.compile(value_schema, *values)?))
            }
            (SchemaType::Map, _, Kind::Array(items)) => {
                let (Some(keys), Some(values)) = (connect.key_schema(), connect.value_schema())
                else {
                    return Err(incompatible(connect, "array"));
                };
                let Kind::Record(entry) = &self.avro.node(*items).kind else {
                    return Err(incompatible(connect, "array"));
                };
                let field = |name: &str| {
                    entry
                        .fields
                        .iter()
                        .find(|f| f.name == name)
                        .map(|f| f.schema)
                        .ok_or_else(|| incompatible(connect, "array"))
                };
                Enc::MapEntries {
                    key: Box::new(self.compile(keys, field("key")?)?),
                    value: Box::new(self.compile(values, field("value")?)?),
                }
            }
            (SchemaType::Struct, _, Kind::Record(record)) => {
                let mut fields = Vec::with_capacity(record.fields.len());
                for avro_field in &record.fields {
                    let connect_field = connect.fields().iter().find(|f| {
                        if self.config.scrub_invalid_names {
                            data::scrub_name(f.name()) == avro_field.name
                        } else {
                            f.name() == avro_field.name
                        }
                    });
                    fields.push(match connect_field {
                        Some(f) => FieldEnc::Connect {
                            index: f.index(),
                            enc: self.compile(f.schema(), avro_field.schema)?,
                        },
                        None => {
                            let default = avro_field.default.as_ref().ok_or_else(|| {
                                ConnectError::data(format!(
                                    "Field {} of the Avro schema has no value and no default",
                                    avro_field.name
                                ))
                            })?;
                            let mut bytes = Vec::new();
                            write_json_default(self.avro, avro_field.schema, default, &mut bytes)?;
                            FieldEnc::Constant(bytes)
                        }
                    });
                }
                Enc::Struct {
                    schema: connect.clone(),
                    fields,
                }
            }
            _ => return Err(incompatible(connect, node.type_name())),
        })
    }
}

/// Writes an Avro field default (JSON) in binary, for fields a Connect schema lacks.
fn write_json_default(avro: &AvroSchema, id: NodeId, json: &Json, out: &mut Vec<u8>) -> Result<()> {
    let bad = || ConnectError::data(format!("Invalid default value {}", json.to_json_string()));
    let node = avro.node(id);
    match (&node.kind, json) {
        (Kind::Null, Json::Null) => {}
        (Kind::Boolean, Json::Bool(b)) => out.push(u8::from(*b)),
        (Kind::Int | Kind::Long, _) => write_long(out, json.long_value().ok_or_else(bad)?),
        (Kind::Float, _) => write_float(out, json.double_value().ok_or_else(bad)? as f32),
        (Kind::Double, _) => write_double(out, json.double_value().ok_or_else(bad)?),
        (Kind::String, Json::String(s)) => write_bytes(out, s.as_bytes()),
        (Kind::Bytes, Json::String(s)) => {
            write_bytes(out, &s.chars().map(|c| c as u32 as u8).collect::<Vec<u8>>())
        }
        (Kind::Fixed(_), Json::String(s)) => {
            out.extend(s.chars().map(|c| c as u32 as u8));
        }
        (Kind::Enum(e), Json::String(s)) => {
            let index = e.symbols.iter().position(|x| x == s).ok_or_else(bad)?;
            write_long(out, index as i64);
        }
        (Kind::Array(items), Json::Array(elements)) => {
            if !elements.is_empty() {
                write_long(out, elements.len() as i64);
                for e in elements {
                    write_json_default(avro, *items, e, out)?;
                }
            }
            out.push(0);
        }
        (Kind::Map(values), Json::Object(members)) => {
            if !members.is_empty() {
                write_long(out, members.len() as i64);
                for (k, v) in members {
                    write_bytes(out, k.as_bytes());
                    write_json_default(avro, *values, v, out)?;
                }
            }
            out.push(0);
        }
        (Kind::Record(record), Json::Object(_)) => {
            for field in &record.fields {
                let value = json
                    .get(&field.name)
                    .or(field.default.as_ref())
                    .ok_or_else(bad)?;
                write_json_default(avro, field.schema, value, out)?;
            }
        }
        (Kind::Union(branches), _) => {
            // A union default is a value of the first branch.
            let first = *branches.first().ok_or_else(bad)?;
            out.push(0);
            write_json_default(avro, first, json, out)?;
        }
        _ => return Err(bad()),
    }
    Ok(())
}

#[inline]
fn write(enc: &Enc, value: &Value, out: &mut Vec<u8>) -> Result<()> {
    match (enc, value) {
        (Enc::Optional { null_index, .. }, Value::Null) => match null_index {
            Some(index) => {
                write_long(out, *index);
                Ok(())
            }
            None => Err(null_for_required()),
        },
        (
            Enc::Optional {
                value_index, inner, ..
            },
            value,
        ) => {
            write_long(out, *value_index);
            write(inner, value, out)
        }
        (Enc::UnionStruct { .. } | Enc::Anything, _) => write_other(enc, value, out),
        (_, Value::Null) => Err(null_for_required()),
        (Enc::Int8, Value::Int8(v)) => {
            write_long(out, i64::from(*v));
            Ok(())
        }
        (Enc::Int16, Value::Int16(v)) => {
            write_long(out, i64::from(*v));
            Ok(())
        }
        (Enc::Int32, Value::Int32(v)) => {
            write_long(out, i64::from(*v));
            Ok(())
        }
        (Enc::Int64, Value::Int64(v)) => {
            write_long(out, *v);
            Ok(())
        }
        (Enc::Float32, Value::Float32(v)) => {
            write_float(out, *v);
            Ok(())
        }
        (Enc::Float64, Value::Float64(v)) => {
            write_double(out, *v);
            Ok(())
        }
        (Enc::Boolean, Value::Boolean(v)) => {
            out.push(u8::from(*v));
            Ok(())
        }
        (Enc::String, Value::String(v)) | (Enc::StringAsBytes, Value::String(v)) => {
            write_bytes(out, v.as_bytes());
            Ok(())
        }
        (Enc::Bytes, Value::Bytes(v)) | (Enc::BytesAsString, Value::Bytes(v)) => {
            write_bytes(out, v);
            Ok(())
        }
        (Enc::Fixed(size), Value::Bytes(v)) => {
            if v.len() != *size {
                return Err(ConnectError::data(format!(
                    "Fixed size {size} does not match value of {} bytes",
                    v.len()
                )));
            }
            out.extend_from_slice(v);
            Ok(())
        }
        (Enc::EnumSymbol(symbols), Value::String(v)) => {
            let index = symbols.iter().position(|s| s == v).ok_or_else(|| {
                ConnectError::data_caused_by(
                    "Failed to serialize Avro data",
                    "AvroTypeException",
                    format!("Not an enum: {v}"),
                )
            })?;
            write_long(out, index as i64);
            Ok(())
        }
        (Enc::Decimal { schema, fixed }, Value::Decimal(d)) => {
            let bytes = logical::decimal_from_logical(schema, d)?;
            match fixed {
                None => write_bytes(out, &bytes),
                Some(size) => write_fixed_decimal(out, &bytes, *size)?,
            }
            Ok(())
        }
        (Enc::Date(schema), Value::Timestamp(ms)) => {
            write_long(out, i64::from(logical::date_from_logical(schema, *ms)?));
            Ok(())
        }
        (Enc::Time(schema), Value::Timestamp(ms)) => {
            write_long(out, i64::from(logical::time_from_logical(schema, *ms)?));
            Ok(())
        }
        (Enc::Timestamp(schema), Value::Timestamp(ms)) => {
            write_long(out, logical::timestamp_from_logical(schema, *ms)?);
            Ok(())
        }
        (Enc::Promote(base, kind), value) => {
            let (int, float) = match (base.as_ref(), value) {
                (Enc::Int8, Value::Int8(v)) => (i64::from(*v), f64::from(*v)),
                (Enc::Int16, Value::Int16(v)) => (i64::from(*v), f64::from(*v)),
                (Enc::Int32, Value::Int32(v)) => (i64::from(*v), f64::from(*v)),
                (Enc::Int64, Value::Int64(v)) => (*v, *v as f64),
                (Enc::Float32, Value::Float32(v)) => (0, f64::from(*v)),
                _ => return Err(invalid_type(enc_type_name(base), value)),
            };
            match kind {
                Kind::Long => write_long(out, int),
                // Java widens a long to float directly, not through double.
                Kind::Float => match value {
                    Value::Int64(v) => write_float(out, *v as f32),
                    _ => write_float(out, float as f32),
                },
                _ => write_double(out, float),
            }
            Ok(())
        }
        _ => write_other(enc, value, out),
    }
}

fn write_fixed_decimal(out: &mut Vec<u8>, bytes: &[u8], size: usize) -> Result<()> {
    if bytes.len() > size {
        return Err(ConnectError::data(format!(
            "Decimal does not fit in fixed of size {size}"
        )));
    }
    let pad = if bytes.first().is_some_and(|b| b & 0x80 != 0) {
        0xFF
    } else {
        0
    };
    out.extend(std::iter::repeat_n(pad, size - bytes.len()));
    out.extend_from_slice(bytes);
    Ok(())
}

fn enc_type_name(enc: &Enc) -> &'static str {
    match enc {
        Enc::Int8 => "INT8",
        Enc::Int16 => "INT16",
        Enc::Int32 | Enc::Date(_) | Enc::Time(_) => "INT32",
        Enc::Int64 | Enc::Timestamp(_) => "INT64",
        Enc::Float32 => "FLOAT32",
        Enc::Float64 => "FLOAT64",
        Enc::Boolean => "BOOLEAN",
        Enc::String | Enc::EnumSymbol(_) | Enc::StringAsBytes => "STRING",
        Enc::Bytes | Enc::Fixed(_) | Enc::Decimal { .. } | Enc::BytesAsString => "BYTES",
        Enc::Array(_) => "ARRAY",
        Enc::Map(_) | Enc::MapEntries { .. } => "MAP",
        Enc::Struct { .. } | Enc::UnionStruct { .. } => "STRUCT",
        Enc::Promote(base, _) => enc_type_name(base),
        Enc::Optional { inner, .. } => enc_type_name(inner),
        Enc::Anything => "schemaless",
    }
}

fn logical_type_error(name: &str, value: &Value) -> ConnectError {
    let expected = if name == DECIMAL_NAME {
        "BigDecimal"
    } else {
        "Date"
    };
    let short = name.rsplit('.').next().unwrap_or(name);
    ConnectError::data(format!(
        "Invalid type for {short}, expected {expected} but was class {}",
        value.java_class_name()
    ))
}

fn write_other(enc: &Enc, value: &Value, out: &mut Vec<u8>) -> Result<()> {
    match (enc, value) {
        (Enc::Array(items), Value::Array(elements)) => {
            if !elements.is_empty() {
                write_long(out, elements.len() as i64);
                for element in elements {
                    write(items, element, out)?;
                }
            }
            out.push(0);
            Ok(())
        }
        (Enc::Map(values), Value::Map(entries)) => {
            let mut keys = Vec::with_capacity(entries.len());
            for (k, _) in entries {
                keys.push(k.as_str().ok_or_else(|| invalid_type("MAP", value))?);
            }
            let order = hash_map_order(&keys);
            if !order.is_empty() {
                write_long(out, order.len() as i64);
                for i in order {
                    write_bytes(out, keys[i].as_bytes());
                    write(values, &entries[i].1, out)?;
                }
            }
            out.push(0);
            Ok(())
        }
        (Enc::MapEntries { key, value: val }, Value::Map(entries)) => {
            if !entries.is_empty() {
                write_long(out, entries.len() as i64);
                for (k, v) in entries {
                    write(key, k, out)?;
                    write(val, v, out)?;
                }
            }
            out.push(0);
            Ok(())
        }
        (Enc::Struct { schema, fields }, Value::Struct(s)) => {
            if s.schema() != schema {
                return Err(ConnectError::data("Mismatching struct schema"));
            }
            let values = s.values();
            for field in fields {
                match field {
                    FieldEnc::Connect { index, enc } => {
                        let mut v = &values[*index];
                        if v.is_null()
                            && let Some(default) = schema.fields()[*index].schema().default_value()
                        {
                            v = default;
                        }
                        write(enc, v, out)?;
                    }
                    FieldEnc::Constant(bytes) => out.extend_from_slice(bytes),
                }
            }
            Ok(())
        }
        (
            Enc::UnionStruct {
                schema,
                null_index,
                branches,
            },
            value,
        ) => {
            let s = match value {
                Value::Null => None,
                Value::Struct(s) => {
                    if s.schema() != schema {
                        return Err(ConnectError::data("Mismatching struct schema"));
                    }
                    Some(s)
                }
                other => return Err(invalid_type("STRUCT", other)),
            };
            if let Some(s) = s {
                for ((index, branch), (field, v)) in
                    branches.iter().zip(schema.fields().iter().zip(s.values()))
                {
                    let v = if v.is_null() {
                        field.schema().default_value().unwrap_or(v)
                    } else {
                        v
                    };
                    if !v.is_null() {
                        write_long(out, *index);
                        return write(branch, v, out);
                    }
                }
            }
            match null_index {
                Some(index) => {
                    write_long(out, *index);
                    Ok(())
                }
                None => Err(null_for_required()),
            }
        }
        (Enc::Anything, value) => write_anything(value, out),
        (Enc::Decimal { schema, .. }, other)
        | (Enc::Date(schema), other)
        | (Enc::Time(schema), other)
        | (Enc::Timestamp(schema), other) => {
            Err(logical_type_error(schema.name().unwrap_or_default(), other))
        }
        (enc, value) => Err(invalid_type(enc_type_name(enc), value)),
    }
}

/// Writes a schemaless value as an `Anything` record: nine optional fields of which the one
/// matching the value's type is set.
fn write_anything(value: &Value, out: &mut Vec<u8>) -> Result<()> {
    let slot = match value {
        Value::Null => None,
        Value::Boolean(_) => Some(0),
        Value::Bytes(_) => Some(1),
        Value::Float64(_) => Some(2),
        Value::Float32(_) => Some(3),
        Value::Int8(_) | Value::Int16(_) | Value::Int32(_) => Some(4),
        Value::Int64(_) => Some(5),
        Value::String(_) => Some(6),
        Value::Array(_) => Some(7),
        Value::Map(_) => Some(8),
        Value::Struct(_) | Value::Decimal(_) | Value::Timestamp(_) => {
            return Err(ConnectError::data(format!(
                "Unknown Java type for schemaless data: class {}",
                value.java_class_name()
            )));
        }
    };
    for i in 0..9 {
        if Some(i) != slot {
            out.push(0);
            continue;
        }
        out.push(2);
        match value {
            Value::Boolean(v) => out.push(u8::from(*v)),
            Value::Bytes(v) => write_bytes(out, v),
            Value::Float64(v) => write_double(out, *v),
            Value::Float32(v) => write_float(out, *v),
            Value::Int8(v) => write_long(out, i64::from(*v)),
            Value::Int16(v) => write_long(out, i64::from(*v)),
            Value::Int32(v) => write_long(out, i64::from(*v)),
            Value::Int64(v) => write_long(out, *v),
            Value::String(v) => write_bytes(out, v.as_bytes()),
            Value::Array(items) => {
                if !items.is_empty() {
                    write_long(out, items.len() as i64);
                    for item in items {
                        write_anything(item, out)?;
                    }
                }
                out.push(0);
            }
            Value::Map(entries) => {
                if !entries.is_empty() {
                    write_long(out, entries.len() as i64);
                    for (k, v) in entries {
                        write_anything(k, out)?;
                        write_anything(v, out)?;
                    }
                }
                out.push(0);
            }
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::{SchemaBuilder, Struct};

    fn encode(schema: Option<&Schema>, value: &Value) -> Result<Vec<u8>> {
        let config = AvroDataConfig::default();
        let avro = data::from_connect_schema(&config, schema)?;
        let plan = EncodePlan::new(&config, schema, &avro)?;
        let mut out = Vec::new();
        plan.encode(value, &mut out)?;
        Ok(out)
    }

    #[test]
    fn schemaless_values_use_the_anything_record() {
        assert_eq!(
            encode(None, &Value::String("plain".into())).expect("encodes"),
            hex("000000000000020a706c61696e0000")
        );
        let err = encode(None, &Value::Timestamp(0)).expect_err("dates need a schema");
        assert_eq!(
            err.message(),
            "Unknown Java type for schemaless data: class java.util.Date"
        );
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex"))
            .collect()
    }

    #[test]
    fn wrong_value_types_are_data_errors_naming_the_java_class() {
        let schema = Schema::primitive(SchemaType::Int32, false).expect("primitive");
        let err = encode(Some(&schema), &Value::String("x".into())).expect_err("mismatch");
        assert_eq!(
            err.message(),
            "Invalid type for INT32: class java.lang.String"
        );
        let required = SchemaBuilder::structure()
            .field("a", schema.clone())
            .build()
            .expect("schema");
        let value = Value::Struct(Struct::new(required.clone()).expect("struct"));
        let err = encode(Some(&required), &value).expect_err("null for required");
        assert_eq!(err.message(), "Found null value for non-optional schema");
    }

    #[test]
    fn top_level_bytes_are_written_raw() {
        let schema = Schema::primitive(SchemaType::Bytes, false).expect("primitive");
        assert_eq!(
            encode(Some(&schema), &Value::Bytes(vec![0, 1, 255])).expect("encodes"),
            vec![0, 1, 255]
        );
    }
}
