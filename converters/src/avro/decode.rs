//! Avro binary to Connect values, resolving the writer's schema against a reader schema.
//!
//! Data on a topic was written with whatever schema its id names; a consumer may want it in
//! another version of that schema (`use.latest.version`). A plan is compiled once per
//! (writer, reader) pair, applying Avro's resolution rules at compile time: fields matched
//! by name (or reader alias), writer-only fields skipped, reader-only fields filled from
//! their defaults, numeric promotions (int → long → float → double), string ↔ bytes, enum
//! symbols by name, a writer type found in a reader union, a writer union branch resolved
//! against the reader. Without a reader schema, writer and reader are the same and the
//! plan is a straight read. The plan produces Connect values directly (no intermediate
//! Avro value tree), in the shape AvroData's `toConnectData` gives them: unions as
//! optional values or `io.confluent.connect.avro.Union` structs, enums as strings, logical
//! types as Connect logical values, `Anything` records as schemaless values.

use std::sync::Arc;

use connect_core::logical::{self, DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME};
use connect_core::{ConnectError, Result, Schema, SchemaType, Struct, Value};

use super::binary::{Cursor, Malformed};
use super::data::{self, AvroDataConfig, is_union_schema, union_member_field_name};
use super::schema::{AvroSchema, Kind, Node, NodeId};

/// Why a payload could not be turned into Connect data.
#[derive(Debug, Clone, PartialEq)]
pub enum DecodeError {
    /// The bytes do not follow the writer schema (Avro Java's `IOException`s).
    Malformed(String),
    /// The data was read but does not fit the Connect type (AvroData's `DataException`).
    Data(ConnectError),
}

impl From<Malformed> for DecodeError {
    fn from(m: Malformed) -> Self {
        DecodeError::Malformed(m.0)
    }
}

impl From<ConnectError> for DecodeError {
    fn from(e: ConnectError) -> Self {
        DecodeError::Data(e)
    }
}

/// The Connect form a number is read into.
#[derive(Debug, Clone)]
enum NumTo {
    Int8,
    Int16,
    Int32,
    Date(Schema),
    Time(Schema),
    Int64,
    Timestamp(Schema),
    Float32,
    Float64,
}

/// The Connect form bytes are read into.
#[derive(Debug, Clone)]
enum BytesTo {
    Bytes,
    Decimal(Schema),
    String,
}

#[derive(Debug, Clone)]
enum Dec {
    Null,
    Boolean,
    Int(NumTo),
    Long(NumTo),
    Float(NumTo),
    Double,
    String(BytesTo),
    Bytes(BytesTo),
    Fixed(usize, BytesTo),
    /// Writer symbol index to reader symbol (`Err` holds the writer symbol no reader
    /// symbol matches).
    Enum(Vec<std::result::Result<Arc<str>, String>>),
    Array(Box<Dec>),
    Map(Box<Dec>),
    MapEntries(Box<Fields>),
    Record(Box<Fields>),
    /// A writer union: one decoder per writer branch.
    Union(Vec<Dec>),
    /// A value of one branch of a reader union that Connect holds as a Union struct.
    Wrap {
        schema: Schema,
        field: usize,
        inner: Box<Dec>,
    },
    /// A writer union branch the reader cannot take: fails when the data uses it.
    Fail(String),
    Anything,
}

#[derive(Debug, Clone)]
struct Fields {
    /// The Connect struct built (none for map entries, which fill key and value).
    schema: Option<Schema>,
    len: usize,
    steps: Vec<Step>,
    defaults: Vec<(usize, Value)>,
}

#[derive(Debug, Clone)]
enum Step {
    Read(usize, Dec),
    Skip(NodeId),
}

/// A compiled decoder for one (writer, reader) schema pair.
#[derive(Debug, Clone)]
pub struct DecodePlan {
    writer: Arc<AvroSchema>,
    root: Dec,
    /// Confluent reads a top-level `bytes` value as all remaining bytes, without a length.
    raw: Option<BytesTo>,
}

fn mismatch(writer: &Node, reader: &Node) -> ConnectError {
    ConnectError::data(format!(
        "Found {}, expecting {}",
        writer.full_name(),
        reader.full_name()
    ))
}

fn num_to(connect: &Schema) -> Result<NumTo> {
    Ok(match (connect.kind(), connect.name()) {
        (SchemaType::Int32, Some(DATE_NAME)) => NumTo::Date(connect.clone()),
        (SchemaType::Int32, Some(TIME_NAME)) => NumTo::Time(connect.clone()),
        (SchemaType::Int64, Some(TIMESTAMP_NAME)) => NumTo::Timestamp(connect.clone()),
        (SchemaType::Int8, _) => NumTo::Int8,
        (SchemaType::Int16, _) => NumTo::Int16,
        (SchemaType::Int32, _) => NumTo::Int32,
        (SchemaType::Int64, _) => NumTo::Int64,
        (SchemaType::Float32, _) => NumTo::Float32,
        (SchemaType::Float64, _) => NumTo::Float64,
        (other, _) => {
            return Err(ConnectError::data(format!(
                "Cannot read an Avro number into Connect type {other}"
            )));
        }
    })
}

fn bytes_to(connect: &Schema) -> Result<BytesTo> {
    Ok(match (connect.kind(), connect.name()) {
        (SchemaType::Bytes, Some(DECIMAL_NAME)) => BytesTo::Decimal(connect.clone()),
        (SchemaType::Bytes, _) => BytesTo::Bytes,
        (SchemaType::String, _) => BytesTo::String,
        (other, _) => {
            return Err(ConnectError::data(format!(
                "Cannot read Avro bytes into Connect type {other}"
            )));
        }
    })
}

impl DecodePlan {
    /// Compiles the plan. `connect` is the Connect schema derived from `reader` (`None` for
    /// schemaless data); `reader` is `writer` itself when no other reader schema applies.
    pub fn new(
        config: &AvroDataConfig,
        writer: Arc<AvroSchema>,
        reader: &AvroSchema,
        connect: Option<&Schema>,
    ) -> Result<Self> {
        let Some(connect) = connect else {
            return Ok(Self {
                writer,
                root: Dec::Anything,
                raw: None,
            });
        };
        let compiler = Compiler {
            config,
            writer: &writer,
            reader,
        };
        let root = compiler.compile(writer.root(), reader.root(), connect)?;
        let raw = match writer.root_node().kind {
            Kind::Bytes => Some(bytes_to(connect)?),
            _ => None,
        };
        Ok(Self { writer, root, raw })
    }

    /// Decodes one payload (after the 5-byte header); bytes after the value are ignored,
    /// as Avro Java ignores them.
    pub fn decode(&self, payload: &[u8]) -> std::result::Result<Value, DecodeError> {
        let mut cursor = Cursor::new(payload);
        if let Some(target) = &self.raw {
            return Ok(convert_bytes(target, cursor.rest())?);
        }
        read(&self.root, &mut cursor, &self.writer)
    }
}

struct Compiler<'a> {
    config: &'a AvroDataConfig,
    writer: &'a AvroSchema,
    reader: &'a AvroSchema,
}

impl Compiler<'_> {
    fn compile(&self, w: NodeId, r: NodeId, connect: &Schema) -> Result<Dec> {
        if let Kind::Union(branches) = &self.writer.node(w).kind {
            return Ok(Dec::Union(
                branches
                    .iter()
                    .map(|b| match self.compile_non_union(*b, r, connect) {
                        Ok(dec) => dec,
                        Err(e) => Dec::Fail(e.message().to_string()),
                    })
                    .collect(),
            ));
        }
        self.compile_non_union(w, r, connect)
    }

    fn compile_non_union(&self, w: NodeId, r: NodeId, connect: &Schema) -> Result<Dec> {
        let Kind::Union(branches) = &self.reader.node(r).kind else {
            return self.compile_plain(w, r, connect);
        };
        let writer = self.writer.node(w);
        if matches!(writer.kind, Kind::Null) {
            return if branches
                .iter()
                .any(|b| matches!(self.reader.node(*b).kind, Kind::Null))
            {
                Ok(Dec::Null)
            } else {
                Err(mismatch(writer, self.reader.node(r)))
            };
        }
        let branch = self
            .best_branch(w, branches)
            .ok_or_else(|| mismatch(writer, self.reader.node(r)))?;
        if !is_union_schema(connect) {
            // A union of null and one type: Connect holds the value itself.
            return self.compile_plain(w, branch, connect);
        }
        let field_name = union_member_field_name(self.config, self.reader.node(branch));
        let field = connect
            .field(&field_name)
            .ok_or_else(|| ConnectError::data(format!("No Connect union field {field_name}")))?;
        Ok(Dec::Wrap {
            schema: connect.clone(),
            field: field.index(),
            inner: Box::new(self.compile_plain(w, branch, field.schema())?),
        })
    }

    /// The reader union branch a writer type resolves to: the first of the same type (and
    /// full name), then of the same type and simple name, then one it promotes to.
    fn best_branch(&self, w: NodeId, branches: &[NodeId]) -> Option<NodeId> {
        let writer = self.writer.node(w);
        let same_kind =
            |r: &Node| std::mem::discriminant(&r.kind) == std::mem::discriminant(&writer.kind);
        let first = |pred: &dyn Fn(&Node) -> bool| {
            branches
                .iter()
                .copied()
                .find(|b| pred(self.reader.node(*b)))
        };
        first(&|r| same_kind(r) && r.full_name() == writer.full_name())
            .or_else(|| {
                first(&|r| {
                    same_kind(r)
                        && match (r.name(), writer.name()) {
                            (Some(a), Some(b)) => a.simple() == b.simple(),
                            _ => false,
                        }
                })
            })
            .or_else(|| {
                first(&|r| {
                    matches!(
                        (&writer.kind, &r.kind),
                        (Kind::Int, Kind::Long | Kind::Float | Kind::Double)
                            | (Kind::Long, Kind::Float | Kind::Double)
                            | (Kind::Float, Kind::Double)
                            | (Kind::String, Kind::Bytes)
                            | (Kind::Bytes, Kind::String)
                    )
                })
            })
    }

    fn compile_plain(&self, w: NodeId, r: NodeId, connect: &Schema) -> Result<Dec> {
        let writer = self.writer.node(w);
        let reader = self.reader.node(r);
        Ok(match (&writer.kind, &reader.kind) {
            (Kind::Null, Kind::Null) => Dec::Null,
            (Kind::Boolean, Kind::Boolean) => Dec::Boolean,
            (Kind::Int, Kind::Int | Kind::Long | Kind::Float | Kind::Double) => {
                Dec::Int(num_to(connect)?)
            }
            (Kind::Long, Kind::Long | Kind::Float | Kind::Double) => Dec::Long(num_to(connect)?),
            (Kind::Float, Kind::Float | Kind::Double) => Dec::Float(num_to(connect)?),
            (Kind::Double, Kind::Double) => {
                num_to(connect)?;
                Dec::Double
            }
            (Kind::String, Kind::String | Kind::Bytes) => Dec::String(bytes_to(connect)?),
            (Kind::Bytes, Kind::Bytes | Kind::String) => Dec::Bytes(bytes_to(connect)?),
            (Kind::Fixed(wf), Kind::Fixed(rf)) => {
                if wf.size != rf.size || !names_match(writer, reader) {
                    return Err(mismatch(writer, reader));
                }
                Dec::Fixed(wf.size, bytes_to(connect)?)
            }
            (Kind::Enum(we), Kind::Enum(re)) => {
                if !names_match(writer, reader) {
                    return Err(mismatch(writer, reader));
                }
                Dec::Enum(
                    we.symbols
                        .iter()
                        .map(|s| {
                            if re.symbols.contains(s) {
                                Ok(Arc::from(s.as_str()))
                            } else {
                                re.default
                                    .as_deref()
                                    .filter(|d| re.symbols.iter().any(|x| x == d))
                                    .map(Arc::from)
                                    .ok_or_else(|| s.clone())
                            }
                        })
                        .collect(),
                )
            }
            (Kind::Array(wi), Kind::Array(ri)) => {
                if connect.kind() == SchemaType::Map {
                    Dec::MapEntries(Box::new(self.compile_entries(*wi, *ri, connect)?))
                } else {
                    let element = connect
                        .value_schema()
                        .ok_or_else(|| mismatch(writer, reader))?;
                    Dec::Array(Box::new(self.compile(*wi, *ri, element)?))
                }
            }
            (Kind::Map(wv), Kind::Map(rv)) => {
                let values = connect
                    .value_schema()
                    .ok_or_else(|| mismatch(writer, reader))?;
                Dec::Map(Box::new(self.compile(*wv, *rv, values)?))
            }
            (Kind::Record(wr), Kind::Record(rr)) => {
                let mut steps = Vec::with_capacity(wr.fields.len());
                let mut matched = vec![false; rr.fields.len()];
                for wf in &wr.fields {
                    let index = rr
                        .fields
                        .iter()
                        .position(|rf| rf.name == wf.name || rf.aliases.contains(&wf.name));
                    match index {
                        Some(index) => {
                            matched[index] = true;
                            let field = connect.fields().get(index).ok_or_else(|| {
                                ConnectError::data("Connect struct does not match its Avro record")
                            })?;
                            steps.push(Step::Read(
                                index,
                                self.compile(wf.schema, rr.fields[index].schema, field.schema())?,
                            ));
                        }
                        None => steps.push(Step::Skip(wf.schema)),
                    }
                }
                let mut defaults = Vec::new();
                for (index, rf) in rr.fields.iter().enumerate().filter(|(i, _)| !matched[*i]) {
                    let default = rf.default.as_ref().ok_or_else(|| {
                        ConnectError::data(format!(
                            "Found {}, expecting {}, missing required field {}",
                            writer.full_name(),
                            reader.full_name(),
                            rf.name
                        ))
                    })?;
                    let field = connect.fields().get(index).ok_or_else(|| {
                        ConnectError::data("Connect struct does not match its Avro record")
                    })?;
                    let value = data::default_from_json(
                        self.config,
                        self.reader,
                        field.schema(),
                        rf.schema,
                        default,
                    )?;
                    defaults.push((index, value));
                }
                Dec::Record(Box::new(Fields {
                    schema: Some(connect.clone()),
                    len: rr.fields.len(),
                    steps,
                    defaults,
                }))
            }
            _ => return Err(mismatch(writer, reader)),
        })
    }

    /// An array of `MapEntry` records read into a Connect map: the entry's `key` and
    /// `value` fields fill slots 0 and 1.
    fn compile_entries(&self, wi: NodeId, ri: NodeId, connect: &Schema) -> Result<Fields> {
        let (writer, reader) = (self.writer.node(wi), self.reader.node(ri));
        let (Kind::Record(wr), Kind::Record(rr)) = (&writer.kind, &reader.kind) else {
            return Err(mismatch(writer, reader));
        };
        let (Some(keys), Some(values)) = (connect.key_schema(), connect.value_schema()) else {
            return Err(mismatch(writer, reader));
        };
        let slot = |name: &str| match name {
            "key" => Some((0, keys)),
            "value" => Some((1, values)),
            _ => None,
        };
        let mut steps = Vec::with_capacity(wr.fields.len());
        let mut matched = [false; 2];
        for wf in &wr.fields {
            let target = rr
                .fields
                .iter()
                .find(|rf| rf.name == wf.name)
                .and_then(|rf| slot(&rf.name).map(|(i, s)| (i, s, rf.schema)));
            match target {
                Some((index, schema, rs)) => {
                    matched[index] = true;
                    steps.push(Step::Read(index, self.compile(wf.schema, rs, schema)?));
                }
                None => steps.push(Step::Skip(wf.schema)),
            }
        }
        let mut defaults = Vec::new();
        for (index, name, schema) in [(0, "key", keys), (1, "value", values)] {
            if matched[index] {
                continue;
            }
            let rf = rr
                .fields
                .iter()
                .find(|f| f.name == name)
                .ok_or_else(|| mismatch(writer, reader))?;
            let default = rf
                .default
                .as_ref()
                .ok_or_else(|| mismatch(writer, reader))?;
            defaults.push((
                index,
                data::default_from_json(self.config, self.reader, schema, rf.schema, default)?,
            ));
        }
        Ok(Fields {
            schema: None,
            len: 2,
            steps,
            defaults,
        })
    }
}

fn names_match(writer: &Node, reader: &Node) -> bool {
    let (Some(w), Some(r)) = (writer.name(), reader.name()) else {
        return false;
    };
    let aliases = match &reader.kind {
        Kind::Enum(e) => &e.aliases,
        Kind::Fixed(f) => &f.aliases,
        Kind::Record(rec) => &rec.aliases,
        _ => return w.full() == r.full(),
    };
    w.full() == r.full() || aliases.iter().any(|a| a == w.full() || a == w.simple())
}

fn convert_number(target: &NumTo, int: i64, float: Option<f64>) -> Result<Value> {
    let as_f64 = float.unwrap_or(int as f64);
    Ok(match target {
        NumTo::Int8 => Value::Int8(int as i8),
        NumTo::Int16 => Value::Int16(int as i16),
        NumTo::Int32 => Value::Int32(int as i32),
        NumTo::Date(schema) => Value::Timestamp(logical::date_to_logical(schema, int as i32)?),
        NumTo::Time(schema) => Value::Timestamp(logical::time_to_logical(schema, int as i32)?),
        NumTo::Int64 => Value::Int64(int),
        NumTo::Timestamp(schema) => Value::Timestamp(logical::timestamp_to_logical(schema, int)?),
        NumTo::Float32 => Value::Float32(as_f64 as f32),
        NumTo::Float64 => Value::Float64(as_f64),
    })
}

fn convert_bytes(target: &BytesTo, bytes: &[u8]) -> Result<Value> {
    Ok(match target {
        BytesTo::Bytes => Value::Bytes(bytes.to_vec()),
        BytesTo::Decimal(schema) => Value::Decimal(logical::decimal_to_logical(schema, bytes)?),
        BytesTo::String => Value::String(String::from_utf8_lossy(bytes).into_owned()),
    })
}

type DecodeResult = std::result::Result<Value, DecodeError>;

fn read(dec: &Dec, cursor: &mut Cursor<'_>, writer: &AvroSchema) -> DecodeResult {
    Ok(match dec {
        Dec::Null => Value::Null,
        Dec::Boolean => Value::Boolean(cursor.boolean()?),
        Dec::Int(to) => convert_number(to, i64::from(cursor.int()?), None)?,
        Dec::Long(to) => convert_number(to, cursor.long()?, None)?,
        Dec::Float(to) => {
            let v = cursor.float()?;
            match to {
                NumTo::Float32 => Value::Float32(v),
                _ => Value::Float64(f64::from(v)),
            }
        }
        Dec::Double => Value::Float64(cursor.double()?),
        Dec::String(BytesTo::String) => Value::String(cursor.string()?),
        Dec::String(to) | Dec::Bytes(to) => convert_bytes(to, cursor.bytes()?)?,
        Dec::Fixed(size, to) => convert_bytes(to, cursor.fixed(*size)?)?,
        Dec::Enum(symbols) => {
            let index = cursor.int()?;
            match usize::try_from(index).ok().and_then(|i| symbols.get(i)) {
                Some(Ok(symbol)) => Value::String(symbol.to_string()),
                Some(Err(writer_symbol)) => {
                    return Err(DecodeError::Malformed(format!(
                        "No match for {writer_symbol}"
                    )));
                }
                None => {
                    return Err(DecodeError::Malformed(format!(
                        "Enum index {index} out of range"
                    )));
                }
            }
        }
        Dec::Array(items) => {
            let mut out = Vec::new();
            loop {
                let count = cursor.block_count()?;
                if count == 0 {
                    break;
                }
                out.reserve(count.min(cursor.remaining()));
                for _ in 0..count {
                    out.push(read(items, cursor, writer)?);
                }
            }
            Value::Array(out)
        }
        Dec::Map(values) => {
            let mut out: Vec<(Value, Value)> = Vec::new();
            loop {
                let count = cursor.block_count()?;
                if count == 0 {
                    break;
                }
                out.reserve(count.min(cursor.remaining()));
                for _ in 0..count {
                    let key = Value::String(cursor.string()?);
                    let value = read(values, cursor, writer)?;
                    put(&mut out, key, value);
                }
            }
            Value::Map(out)
        }
        Dec::MapEntries(fields) => {
            let mut out: Vec<(Value, Value)> = Vec::new();
            loop {
                let count = cursor.block_count()?;
                if count == 0 {
                    break;
                }
                out.reserve(count.min(cursor.remaining()));
                for _ in 0..count {
                    let mut slots = read_fields(fields, cursor, writer)?;
                    let value = slots.pop().unwrap_or_default();
                    let key = slots.pop().unwrap_or_default();
                    put(&mut out, key, value);
                }
            }
            Value::Map(out)
        }
        Dec::Record(fields) => {
            let values = read_fields(fields, cursor, writer)?;
            match &fields.schema {
                Some(schema) => {
                    Value::Struct(Struct::from_values_unchecked(schema.clone(), values))
                }
                None => Value::Null,
            }
        }
        Dec::Union(branches) => {
            let index = cursor.long()?;
            let branch = usize::try_from(index)
                .ok()
                .and_then(|i| branches.get(i))
                .ok_or_else(|| {
                    DecodeError::Malformed(format!("Unknown union branch index {index}"))
                })?;
            read(branch, cursor, writer)?
        }
        Dec::Wrap {
            schema,
            field,
            inner,
        } => {
            let value = read(inner, cursor, writer)?;
            let mut values = vec![Value::Null; schema.fields().len()];
            values[*field] = value;
            Value::Struct(Struct::from_values_unchecked(schema.clone(), values))
        }
        Dec::Fail(message) => return Err(DecodeError::Malformed(message.clone())),
        Dec::Anything => read_anything(cursor)?,
    })
}

/// A map entry put as `HashMap.put` does: a repeated key keeps its place, the last value
/// wins.
fn put(entries: &mut Vec<(Value, Value)>, key: Value, value: Value) {
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some(entry) => entry.1 = value,
        None => entries.push((key, value)),
    }
}

fn read_fields(
    fields: &Fields,
    cursor: &mut Cursor<'_>,
    writer: &AvroSchema,
) -> std::result::Result<Vec<Value>, DecodeError> {
    let mut values = vec![Value::Null; fields.len];
    for step in &fields.steps {
        match step {
            Step::Read(index, dec) => values[*index] = read(dec, cursor, writer)?,
            Step::Skip(node) => skip(writer, *node, cursor)?,
        }
    }
    for (index, value) in &fields.defaults {
        values[*index] = value.clone();
    }
    Ok(values)
}

/// Reads past a value the reader does not want.
fn skip(
    schema: &AvroSchema,
    id: NodeId,
    cursor: &mut Cursor<'_>,
) -> std::result::Result<(), Malformed> {
    match &schema.node(id).kind {
        Kind::Null => {}
        Kind::Boolean => {
            cursor.boolean()?;
        }
        Kind::Int | Kind::Long | Kind::Enum(_) => {
            cursor.long()?;
        }
        Kind::Float => {
            cursor.fixed(4)?;
        }
        Kind::Double => {
            cursor.fixed(8)?;
        }
        Kind::Bytes | Kind::String => {
            cursor.bytes()?;
        }
        Kind::Fixed(f) => {
            cursor.fixed(f.size)?;
        }
        Kind::Array(items) => loop {
            let count = cursor.block_count()?;
            if count == 0 {
                break;
            }
            for _ in 0..count {
                skip(schema, *items, cursor)?;
            }
        },
        Kind::Map(values) => loop {
            let count = cursor.block_count()?;
            if count == 0 {
                break;
            }
            for _ in 0..count {
                cursor.bytes()?;
                skip(schema, *values, cursor)?;
            }
        },
        Kind::Record(record) => {
            for field in &record.fields {
                skip(schema, field.schema, cursor)?;
            }
        }
        Kind::Union(branches) => {
            let index = cursor.long()?;
            let branch = usize::try_from(index)
                .ok()
                .and_then(|i| branches.get(i))
                .ok_or_else(|| Malformed(format!("Unknown union branch index {index}")))?;
            skip(schema, *branch, cursor)?;
        }
    }
    Ok(())
}

/// Reads an `Anything` record: the first of its nine optional fields that is set (in
/// declaration order) is the value.
fn read_anything(cursor: &mut Cursor<'_>) -> DecodeResult {
    let mut result = Value::Null;
    for slot in 0..9 {
        match cursor.long()? {
            0 => continue,
            1 => {}
            other => {
                return Err(DecodeError::Malformed(format!(
                    "Unknown union branch index {other}"
                )));
            }
        }
        let value = match slot {
            0 => Value::Boolean(cursor.boolean()?),
            1 => Value::Bytes(cursor.bytes()?.to_vec()),
            2 => Value::Float64(cursor.double()?),
            3 => Value::Float32(cursor.float()?),
            4 => Value::Int32(cursor.int()?),
            5 => Value::Int64(cursor.long()?),
            6 => Value::String(cursor.string()?),
            7 => {
                let mut items = Vec::new();
                loop {
                    let count = cursor.block_count()?;
                    if count == 0 {
                        break;
                    }
                    for _ in 0..count {
                        items.push(read_anything(cursor)?);
                    }
                }
                Value::Array(items)
            }
            _ => {
                let mut entries = Vec::new();
                loop {
                    let count = cursor.block_count()?;
                    if count == 0 {
                        break;
                    }
                    for _ in 0..count {
                        let key = read_anything(cursor)?;
                        let value = read_anything(cursor)?;
                        put(&mut entries, key, value);
                    }
                }
                Value::Map(entries)
            }
        };
        if result.is_null() {
            result = value;
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::avro::data::to_connect_schema;

    fn plan(writer: &str, reader: Option<&str>) -> (DecodePlan, Option<Schema>) {
        let config = AvroDataConfig::default();
        let writer = Arc::new(AvroSchema::parse(writer).expect("writer parses"));
        let reader = match reader {
            Some(text) => AvroSchema::parse(text).expect("reader parses"),
            None => (*writer).clone(),
        };
        let connect = to_connect_schema(&config, &reader, None).expect("maps to Connect");
        let plan =
            DecodePlan::new(&config, writer, &reader, connect.as_ref()).expect("plan compiles");
        (plan, connect)
    }

    #[test]
    fn reads_old_data_with_a_newer_reader_schema() {
        let v1 = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"int"},{"name":"gone","type":"string"}]}"#;
        let v2 = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"long"},{"name":"email","type":["null","string"],"default":null},{"name":"n","type":"int","default":7}]}"#;
        let (plan, connect) = plan(v1, Some(v2));
        let value = plan.decode(&[0x04, 0x02, b'x']).expect("resolves");
        let s = value.as_struct().expect("struct");
        assert_eq!(s.schema(), connect.as_ref().expect("schema"));
        assert_eq!(s.values(), &[Value::Int64(2), Value::Null, Value::Int32(7)]);
    }

    #[test]
    fn reads_new_data_with_an_older_reader_schema() {
        let v2 = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"int"},{"name":"extra","type":{"type":"array","items":"string"}},{"name":"e","type":{"type":"enum","name":"E","symbols":["A","B","C"]}}]}"#;
        let v1 = r#"{"type":"record","name":"C","fields":[{"name":"e","type":{"type":"enum","name":"E","symbols":["C","A"],"default":"A"}},{"name":"id","type":"int"}]}"#;
        let (plan, _) = plan(v2, Some(v1));
        // id=1, extra=["q"], e=B (index 1): B is unknown to the reader, which defaults to A.
        let value = plan
            .decode(&[0x02, 0x02, 0x02, b'q', 0x00, 0x02])
            .expect("resolves");
        let s = value.as_struct().expect("struct");
        assert_eq!(s.values(), &[Value::String("A".into()), Value::Int32(1)]);
    }

    #[test]
    fn a_missing_field_without_default_cannot_be_resolved() {
        let v1 = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"int"}]}"#;
        let v2 = r#"{"type":"record","name":"C","fields":[{"name":"id","type":"int"},{"name":"x","type":"int"}]}"#;
        let config = AvroDataConfig::default();
        let reader = AvroSchema::parse(v2).expect("parses");
        let connect = to_connect_schema(&config, &reader, None).expect("maps");
        let err = DecodePlan::new(
            &config,
            Arc::new(AvroSchema::parse(v1).expect("parses")),
            &reader,
            connect.as_ref(),
        )
        .expect_err("x has no default");
        assert_eq!(
            err.message(),
            "Found C, expecting C, missing required field x"
        );
    }

    #[test]
    fn truncated_data_is_malformed() {
        let (plan, _) = plan(
            r#"{"type":"record","name":"T","fields":[{"name":"s","type":"string"}]}"#,
            None,
        );
        assert!(matches!(
            plan.decode(&[0x08]),
            Err(DecodeError::Malformed(_))
        ));
    }
}
