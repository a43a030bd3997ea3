//! Avro schemas as Confluent's stack sees them: parsed, built and printed like Avro Java 1.11.
//!
//! We keep our own model instead of `apache_avro::Schema` because Confluent's AvroData puts
//! properties (`connect.type`, `connect.default`, `connect.name`, ...) on every kind of
//! schema, primitives included, and the registry deduplicates schemas by the exact text
//! `Schema.toString()` prints, in which those properties appear in insertion order.
//! `apache_avro::Schema` drops properties of primitive and logical types and sorts the rest,
//! so a `connect.type: int8` would be lost and registered texts would differ from a JVM
//! worker's, creating new schema versions on a migration.
//!
//! Schemas live in an arena ([`AvroSchema`]): named types are defined once and referenced by
//! [`NodeId`], which is also how recursive types (the schemaless `Anything` record) are held.

use std::collections::HashMap;

use connect_core::{ConnectError, Result};

use super::json::Json;
use crate::json::dom::{self, JsonNode};

/// Index of a node in an [`AvroSchema`] arena.
pub type NodeId = usize;

const SCHEMA_PARSE_EXCEPTION: &str = "org.apache.avro.SchemaParseException";
const AVRO_RUNTIME_EXCEPTION: &str = "org.apache.avro.AvroRuntimeException";

/// Keys of a schema object that are not custom properties (Avro's `SCHEMA_RESERVED`).
const SCHEMA_RESERVED: [&str; 10] = [
    "doc",
    "fields",
    "items",
    "name",
    "namespace",
    "size",
    "symbols",
    "values",
    "type",
    "aliases",
];
/// Keys of a field object that are not custom properties (Avro's `FIELD_RESERVED`).
const FIELD_RESERVED: [&str; 6] = ["default", "doc", "name", "order", "type", "aliases"];

/// Avro Java's `SchemaParseException`, which Confluent lets surface unchanged.
pub fn parse_error(message: impl Into<String>) -> ConnectError {
    ConnectError::runtime(SCHEMA_PARSE_EXCEPTION, message)
}

fn runtime_error(message: impl Into<String>) -> ConnectError {
    ConnectError::runtime(AVRO_RUNTIME_EXCEPTION, message)
}

/// Checks a simple name as Avro Java 1.11's `validateName` does (a letter or `_`, then
/// letters, digits or `_`), with its messages.
pub fn validate_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Err(parse_error("Empty name"));
    };
    if !(first.is_alphabetic() || first == '_') {
        return Err(parse_error(format!("Illegal initial character: {name}")));
    }
    if chars.any(|c| !(c.is_alphanumeric() || c == '_')) {
        return Err(parse_error(format!("Illegal character in: {name}")));
    }
    Ok(())
}

/// The name of a named type (record, enum, fixed).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Name {
    full: String,
    simple_start: usize,
}

impl Name {
    /// Avro Java's `new Name(name, space)`: a dotted `name` carries its own namespace,
    /// otherwise `namespace` applies; an empty namespace is none. The simple name is
    /// validated.
    pub fn new(name: &str, namespace: Option<&str>) -> Result<Name> {
        let (space, simple) = match name.rfind('.') {
            Some(dot) => (Some(&name[..dot]), &name[dot + 1..]),
            None => (namespace, name),
        };
        validate_name(simple)?;
        Ok(match space.filter(|s| !s.is_empty()) {
            Some(space) => Name {
                full: format!("{space}.{simple}"),
                simple_start: space.len() + 1,
            },
            None => Name {
                full: simple.to_string(),
                simple_start: 0,
            },
        })
    }

    /// `namespace.name`, or the name alone.
    pub fn full(&self) -> &str {
        &self.full
    }

    /// The name without its namespace.
    pub fn simple(&self) -> &str {
        &self.full[self.simple_start..]
    }

    /// The namespace, if any.
    pub fn namespace(&self) -> Option<&str> {
        (self.simple_start > 0).then(|| &self.full[..self.simple_start - 1])
    }

    /// How Avro Java refers to this name from inside `space`.
    fn qualified(&self, space: Option<&str>) -> &str {
        match self.namespace() {
            None => self.simple(),
            Some(ns) if Some(ns) == space => self.simple(),
            Some(_) => self.full(),
        }
    }
}

/// One field of a record.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field name.
    pub name: String,
    /// The field's type.
    pub schema: NodeId,
    /// Documentation.
    pub doc: Option<String>,
    /// The default value readers use when the writer had no such field.
    pub default: Option<Json>,
    /// Sort order, when not the default `ascending`.
    pub order: Option<String>,
    /// Alternative names readers accept.
    pub aliases: Vec<String>,
    /// Custom field properties, in insertion order.
    pub props: Vec<(String, Json)>,
}

/// A record type.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// Its name.
    pub name: Name,
    /// Documentation.
    pub doc: Option<String>,
    /// Its fields, in order.
    pub fields: Vec<Field>,
    /// Alternative names.
    pub aliases: Vec<String>,
}

/// An enum type.
#[derive(Clone, Debug, PartialEq)]
pub struct EnumType {
    /// Its name.
    pub name: Name,
    /// Documentation.
    pub doc: Option<String>,
    /// The symbols, in order (a value is written as its index).
    pub symbols: Vec<String>,
    /// The symbol readers use for a writer symbol they do not know.
    pub default: Option<String>,
    /// Alternative names.
    pub aliases: Vec<String>,
}

/// A fixed-size bytes type.
#[derive(Clone, Debug, PartialEq)]
pub struct FixedType {
    /// Its name.
    pub name: Name,
    /// Documentation.
    pub doc: Option<String>,
    /// Number of bytes of every value.
    pub size: usize,
    /// Alternative names.
    pub aliases: Vec<String>,
}

/// The kind of a schema node.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// `null`.
    Null,
    /// `boolean`.
    Boolean,
    /// `int` (32 bits).
    Int,
    /// `long` (64 bits).
    Long,
    /// `float`.
    Float,
    /// `double`.
    Double,
    /// `bytes`.
    Bytes,
    /// `string`.
    String,
    /// An array of the given items.
    Array(NodeId),
    /// A map from strings to the given values.
    Map(NodeId),
    /// A union of the given branches.
    Union(Vec<NodeId>),
    /// A record.
    Record(Record),
    /// An enum.
    Enum(EnumType),
    /// A fixed.
    Fixed(FixedType),
}

/// One schema node: its kind and its custom properties (unions have none).
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: Kind,
    /// Custom properties, `logicalType` included, in insertion order.
    pub props: Vec<(String, Json)>,
}

impl Node {
    /// A node without properties.
    pub fn new(kind: Kind) -> Node {
        Node {
            kind,
            props: Vec::new(),
        }
    }

    /// A property's value.
    pub fn prop(&self, key: &str) -> Option<&Json> {
        self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// A string property's text.
    pub fn prop_str(&self, key: &str) -> Option<&str> {
        self.prop(key).and_then(Json::as_str)
    }

    /// Avro Java's `addProp`: a property is set once; setting it again to the same value is
    /// a no-op, to another value an error.
    pub fn add_prop(&mut self, key: &str, value: Json) -> Result<()> {
        match self.prop(key) {
            None => {
                self.props.push((key.to_string(), value));
                Ok(())
            }
            Some(old) if *old == value => Ok(()),
            Some(_) => Err(runtime_error(format!("Can't overwrite property: {key}"))),
        }
    }

    /// Avro's type name (`int`, `record`, `union`, ...).
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Boolean => "boolean",
            Kind::Int => "int",
            Kind::Long => "long",
            Kind::Float => "float",
            Kind::Double => "double",
            Kind::Bytes => "bytes",
            Kind::String => "string",
            Kind::Array(_) => "array",
            Kind::Map(_) => "map",
            Kind::Union(_) => "union",
            Kind::Record(_) => "record",
            Kind::Enum(_) => "enum",
            Kind::Fixed(_) => "fixed",
        }
    }

    /// The name of a record, enum or fixed.
    pub fn name(&self) -> Option<&Name> {
        match &self.kind {
            Kind::Record(r) => Some(&r.name),
            Kind::Enum(e) => Some(&e.name),
            Kind::Fixed(f) => Some(&f.name),
            _ => None,
        }
    }

    /// Avro Java's `getFullName()`: the full name of a named type, else the type name.
    pub fn full_name(&self) -> &str {
        match self.name() {
            Some(name) => name.full(),
            None => self.type_name(),
        }
    }
}

fn primitive_kind(name: &str) -> Option<Kind> {
    Some(match name {
        "null" => Kind::Null,
        "boolean" => Kind::Boolean,
        "int" => Kind::Int,
        "long" => Kind::Long,
        "float" => Kind::Float,
        "double" => Kind::Double,
        "bytes" => Kind::Bytes,
        "string" => Kind::String,
        _ => return None,
    })
}

/// A complete schema: an arena of nodes and the root.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AvroSchema {
    nodes: Vec<Node>,
    root: NodeId,
}

impl AvroSchema {
    /// An empty arena, to be filled with [`AvroSchema::push`] and finished with
    /// [`AvroSchema::set_root`].
    pub fn new() -> AvroSchema {
        AvroSchema::default()
    }

    /// Adds a node and returns its id.
    pub fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Makes `id` the schema's top-level node.
    pub fn set_root(&mut self, id: NodeId) {
        self.root = id;
    }

    /// The top-level node.
    pub fn root(&self) -> NodeId {
        self.root
    }

    /// A node by id; ids come from this arena, so they are always in range.
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    /// A node by id, to complete it while building.
    pub fn node_mut(&mut self, id: NodeId) -> &mut Node {
        &mut self.nodes[id]
    }

    /// The top-level node.
    pub fn root_node(&self) -> &Node {
        self.node(self.root)
    }

    /// Parses schema JSON as Avro Java's `Schema.Parser` does (names resolved against the
    /// enclosing namespace, custom properties kept in document order).
    pub fn parse(text: &str) -> Result<AvroSchema> {
        let node = dom::parse(text.as_bytes())
            .map_err(|e| parse_error(format!("Invalid schema JSON: {}", e.message)))?;
        let mut parser = Parser {
            schema: AvroSchema::new(),
            names: HashMap::new(),
        };
        let root = parser.parse(&node, None)?;
        parser.schema.root = root;
        Ok(parser.schema)
    }

    /// The text Avro Java's `Schema.toString()` prints, which is what Confluent registers
    /// and compares: named types in full at their first use and by name afterwards,
    /// namespaces omitted where inherited, properties in insertion order.
    pub fn to_canonical_string(&self) -> Result<String> {
        let mut printer = Printer {
            schema: self,
            written: HashMap::new(),
            space: None,
            out: Vec::with_capacity(256),
        };
        printer.write(self.root)?;
        String::from_utf8(printer.out).map_err(|_| runtime_error("schema text is not valid UTF-8"))
    }

    /// The canonical text of one node on its own (a fresh naming context).
    fn node_text(&self, id: NodeId) -> Result<Vec<u8>> {
        let mut printer = Printer {
            schema: self,
            written: HashMap::new(),
            space: None,
            out: Vec::new(),
        };
        printer.write(id)?;
        Ok(printer.out)
    }
}

struct Parser {
    schema: AvroSchema,
    names: HashMap<String, NodeId>,
}

fn node_text(node: &JsonNode<'_>) -> String {
    Json::from_node(node).to_json_string()
}

fn optional_text<'a>(node: &'a JsonNode<'_>, key: &str) -> Option<&'a str> {
    node.get(key).and_then(JsonNode::text)
}

fn aliases(node: &JsonNode<'_>) -> Vec<String> {
    match node.get("aliases") {
        Some(JsonNode::Array(items)) => items
            .iter()
            .filter_map(|i| i.text().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

fn props(
    node: &JsonNode<'_>,
    reserved: &[&str],
    extra_reserved: Option<&str>,
) -> Vec<(String, Json)> {
    match node {
        JsonNode::Object(members) => members
            .iter()
            .filter(|(k, _)| !reserved.contains(&k.as_ref()) && Some(k.as_ref()) != extra_reserved)
            .map(|(k, v)| (k.to_string(), Json::from_node(v)))
            .collect(),
        _ => Vec::new(),
    }
}

impl Parser {
    fn lookup(&self, name: &str, space: Option<&str>) -> Option<NodeId> {
        if !name.contains('.')
            && let Some(space) = space
            && let Some(id) = self.names.get(&format!("{space}.{name}"))
        {
            return Some(*id);
        }
        self.names.get(name).copied()
    }

    fn define(&mut self, name: &Name, id: NodeId) -> Result<()> {
        if self.names.insert(name.full().to_string(), id).is_some() {
            return Err(parse_error(format!("Can't redefine: {}", name.full())));
        }
        Ok(())
    }

    fn parse(&mut self, node: &JsonNode<'_>, space: Option<&str>) -> Result<NodeId> {
        match node {
            JsonNode::String(text) => {
                if let Some(kind) = primitive_kind(text) {
                    return Ok(self.schema.push(Node::new(kind)));
                }
                self.lookup(text, space)
                    .ok_or_else(|| parse_error(format!("Undefined name: {}", node_text(node))))
            }
            JsonNode::Array(members) => {
                let mut branches = Vec::with_capacity(members.len());
                let mut seen: Vec<String> = Vec::new();
                for member in members {
                    let id = self.parse(member, space)?;
                    let branch = self.schema.node(id);
                    if matches!(branch.kind, Kind::Union(_)) {
                        return Err(runtime_error(format!("Nested union: {}", node_text(node))));
                    }
                    let full = branch.full_name().to_string();
                    if seen.contains(&full) {
                        return Err(runtime_error(format!("Duplicate in union:{full}")));
                    }
                    seen.push(full);
                    branches.push(id);
                }
                Ok(self.schema.push(Node::new(Kind::Union(branches))))
            }
            JsonNode::Object(_) => self.parse_object(node, space),
            other => Err(parse_error(format!(
                "Schema not yet supported: {}",
                node_text(other)
            ))),
        }
    }

    fn parse_object(&mut self, node: &JsonNode<'_>, space: Option<&str>) -> Result<NodeId> {
        let Some(type_name) = optional_text(node, "type") else {
            return Err(parse_error(format!("No type: {}", node_text(node))));
        };
        let doc = optional_text(node, "doc").map(str::to_string);
        let named = || -> Result<Name> {
            let name = optional_text(node, "name")
                .ok_or_else(|| parse_error(format!("No name in schema: {}", node_text(node))))?;
            let namespace = match node.get("namespace") {
                Some(JsonNode::String(ns)) => Some(ns.as_ref()),
                _ => space,
            };
            Name::new(name, namespace)
        };
        let id = if let Some(kind) = primitive_kind(type_name) {
            self.schema.push(Node::new(kind))
        } else {
            match type_name {
                "record" | "error" => {
                    let name = named()?;
                    let id = self.schema.push(Node::new(Kind::Record(Record {
                        name: name.clone(),
                        doc,
                        fields: Vec::new(),
                        aliases: aliases(node),
                    })));
                    self.define(&name, id)?;
                    let Some(JsonNode::Array(field_nodes)) = node.get("fields") else {
                        return Err(parse_error(format!(
                            "Record has no fields: {}",
                            node_text(node)
                        )));
                    };
                    let mut fields: Vec<Field> = Vec::with_capacity(field_nodes.len());
                    for field in field_nodes {
                        let field_name = optional_text(field, "name").ok_or_else(|| {
                            parse_error(format!("No field name: {}", node_text(field)))
                        })?;
                        let Some(field_type) = field.get("type") else {
                            return Err(parse_error(format!(
                                "No field type: {}",
                                node_text(field)
                            )));
                        };
                        let schema = self.parse(field_type, name.namespace())?;
                        validate_name(field_name)?;
                        if fields.iter().any(|f| f.name == field_name) {
                            return Err(parse_error(format!(
                                "Duplicate field {field_name} in record {}",
                                name.full()
                            )));
                        }
                        fields.push(Field {
                            name: field_name.to_string(),
                            schema,
                            doc: optional_text(field, "doc").map(str::to_string),
                            default: field.get("default").map(Json::from_node),
                            order: optional_text(field, "order").map(str::to_string),
                            aliases: aliases(field),
                            props: props(field, &FIELD_RESERVED, None),
                        });
                    }
                    if let Kind::Record(record) = &mut self.schema.node_mut(id).kind {
                        record.fields = fields;
                    }
                    id
                }
                "enum" => {
                    let name = named()?;
                    let Some(JsonNode::Array(symbol_nodes)) = node.get("symbols") else {
                        return Err(parse_error(format!(
                            "Enum has no symbols: {}",
                            node_text(node)
                        )));
                    };
                    let mut symbols: Vec<String> = Vec::with_capacity(symbol_nodes.len());
                    for symbol in symbol_nodes {
                        let text = symbol.text().ok_or_else(|| {
                            parse_error(format!("Enum symbol not a string: {}", node_text(symbol)))
                        })?;
                        validate_name(text)?;
                        if symbols.iter().any(|s| s == text) {
                            return Err(parse_error(format!("Duplicate enum symbol: {text}")));
                        }
                        symbols.push(text.to_string());
                    }
                    let id = self.schema.push(Node::new(Kind::Enum(EnumType {
                        name: name.clone(),
                        doc,
                        symbols,
                        default: optional_text(node, "default").map(str::to_string),
                        aliases: aliases(node),
                    })));
                    self.define(&name, id)?;
                    id
                }
                "fixed" => {
                    let name = named()?;
                    let size = match node.get("size") {
                        Some(JsonNode::Int(size)) if *size >= 0 => *size as usize,
                        _ => {
                            return Err(parse_error(format!(
                                "Invalid or no size: {}",
                                node_text(node)
                            )));
                        }
                    };
                    let id = self.schema.push(Node::new(Kind::Fixed(FixedType {
                        name: name.clone(),
                        doc,
                        size,
                        aliases: aliases(node),
                    })));
                    self.define(&name, id)?;
                    id
                }
                "array" => {
                    let items = node.get("items").ok_or_else(|| {
                        parse_error(format!("Array has no items type: {}", node_text(node)))
                    })?;
                    let items = self.parse(items, space)?;
                    self.schema.push(Node::new(Kind::Array(items)))
                }
                "map" => {
                    let values = node.get("values").ok_or_else(|| {
                        parse_error(format!("Map has no values type: {}", node_text(node)))
                    })?;
                    let values = self.parse(values, space)?;
                    self.schema.push(Node::new(Kind::Map(values)))
                }
                other => {
                    // A named type referenced through "type" (Avro allows it for unions
                    // with self references).
                    return self
                        .lookup(other, space)
                        .ok_or_else(|| parse_error(format!("Type not supported: {other}")));
                }
            }
        };
        let extra = (type_name == "enum").then_some("default");
        self.schema.node_mut(id).props = props(node, &SCHEMA_RESERVED, extra);
        Ok(id)
    }
}

struct Printer<'a> {
    schema: &'a AvroSchema,
    written: HashMap<&'a str, NodeId>,
    space: Option<&'a str>,
    out: Vec<u8>,
}

impl<'a> Printer<'a> {
    fn key(&mut self, key: &str) {
        crate::json::write::write_string(&mut self.out, key);
        self.out.push(b':');
    }

    fn string_member(&mut self, key: &str, value: &str) {
        self.out.push(b',');
        self.key(key);
        crate::json::write::write_string(&mut self.out, value);
    }

    fn props(&mut self, props: &[(String, Json)]) {
        for (k, v) in props {
            self.out.push(b',');
            self.key(k);
            v.write(&mut self.out);
        }
    }

    fn aliases(&mut self, aliases: &[String]) {
        if aliases.is_empty() {
            return;
        }
        self.out.push(b',');
        self.key("aliases");
        Json::Array(aliases.iter().map(|a| Json::String(a.clone())).collect()).write(&mut self.out);
    }

    /// Writes a reference when the name was already written; errors when another,
    /// different type already took the name (Avro's "Can't redefine").
    fn name_ref(&mut self, id: NodeId, name: &'a Name) -> Result<bool> {
        match self.written.get(name.full()) {
            Some(&previous) => {
                if previous != id
                    && self.schema.node_text(previous)? != self.schema.node_text(id)?
                {
                    return Err(parse_error(format!("Can't redefine: {}", name.full())));
                }
                crate::json::write::write_string(&mut self.out, name.qualified(self.space));
                Ok(true)
            }
            None => {
                self.written.insert(name.full(), id);
                Ok(false)
            }
        }
    }

    fn name_members(&mut self, name: &'a Name) {
        self.string_member("name", name.simple());
        match name.namespace() {
            Some(ns) if Some(ns) != self.space => self.string_member("namespace", ns),
            None if self.space.is_some() => self.string_member("namespace", ""),
            _ => {}
        }
    }

    fn write(&mut self, id: NodeId) -> Result<()> {
        let schema = self.schema;
        let node = schema.node(id);
        match &node.kind {
            Kind::Union(branches) => {
                self.out.push(b'[');
                for (i, branch) in branches.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.write(*branch)?;
                }
                self.out.push(b']');
            }
            Kind::Array(items) => {
                self.out
                    .extend_from_slice(b"{\"type\":\"array\",\"items\":");
                self.write(*items)?;
                self.props(&node.props);
                self.out.push(b'}');
            }
            Kind::Map(values) => {
                self.out.extend_from_slice(b"{\"type\":\"map\",\"values\":");
                self.write(*values)?;
                self.props(&node.props);
                self.out.push(b'}');
            }
            Kind::Record(record) => {
                if self.name_ref(id, &record.name)? {
                    return Ok(());
                }
                self.out.extend_from_slice(b"{\"type\":\"record\"");
                self.name_members(&record.name);
                let saved = self.space;
                self.space = record.name.namespace();
                if let Some(doc) = &record.doc {
                    self.string_member("doc", doc);
                }
                self.out.extend_from_slice(b",\"fields\":[");
                for (i, field) in record.fields.iter().enumerate() {
                    if i > 0 {
                        self.out.push(b',');
                    }
                    self.out.extend_from_slice(b"{\"name\":");
                    crate::json::write::write_string(&mut self.out, &field.name);
                    self.out.extend_from_slice(b",\"type\":");
                    self.write(field.schema)?;
                    if let Some(doc) = &field.doc {
                        self.string_member("doc", doc);
                    }
                    if let Some(default) = &field.default {
                        self.out.push(b',');
                        self.key("default");
                        default.write(&mut self.out);
                    }
                    if let Some(order) = field.order.as_deref().filter(|o| *o != "ascending") {
                        self.string_member("order", order);
                    }
                    self.aliases(&field.aliases);
                    self.props(&field.props);
                    self.out.push(b'}');
                }
                self.out.push(b']');
                self.props(&node.props);
                self.aliases(&record.aliases);
                self.out.push(b'}');
                self.space = saved;
            }
            Kind::Enum(en) => {
                if self.name_ref(id, &en.name)? {
                    return Ok(());
                }
                self.out.extend_from_slice(b"{\"type\":\"enum\"");
                self.name_members(&en.name);
                if let Some(doc) = &en.doc {
                    self.string_member("doc", doc);
                }
                self.out.push(b',');
                self.key("symbols");
                Json::Array(en.symbols.iter().map(|s| Json::String(s.clone())).collect())
                    .write(&mut self.out);
                if let Some(default) = &en.default {
                    self.string_member("default", default);
                }
                self.props(&node.props);
                self.aliases(&en.aliases);
                self.out.push(b'}');
            }
            Kind::Fixed(fixed) => {
                if self.name_ref(id, &fixed.name)? {
                    return Ok(());
                }
                self.out.extend_from_slice(b"{\"type\":\"fixed\"");
                self.name_members(&fixed.name);
                if let Some(doc) = &fixed.doc {
                    self.string_member("doc", doc);
                }
                self.out.extend_from_slice(b",\"size\":");
                crate::json::write::write_int(&mut self.out, fixed.size);
                self.props(&node.props);
                self.aliases(&fixed.aliases);
                self.out.push(b'}');
            }
            _ => {
                let name = node.type_name();
                if node.props.is_empty() {
                    crate::json::write::write_string(&mut self.out, name);
                } else {
                    self.out.extend_from_slice(b"{\"type\":");
                    crate::json::write::write_string(&mut self.out, name);
                    self.props(&node.props);
                    self.out.push(b'}');
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(text: &str) -> String {
        AvroSchema::parse(text)
            .expect("schema parses")
            .to_canonical_string()
            .expect("schema prints")
    }

    #[test]
    fn prints_what_avro_java_prints() {
        // Field members are reordered (doc before default), inherited namespaces omitted,
        // a named type used twice is written in full once, properties keep their order.
        assert_eq!(
            canonical(
                r#"{"type":"record","name":"Rec","namespace":"com.acme","doc":"docs","fields":[
                {"name":"a","type":"long","default":5,"doc":"field doc"},
                {"name":"b","type":{"type":"record","name":"In","fields":[{"name":"x","type":{"type":"int","connect.type":"int8","a":1}}]}},
                {"name":"c","type":["null","In"],"default":null},
                {"name":"d","type":{"type":"record","name":"Other","namespace":"x.y","fields":[]}}],
                "connect.name":"com.acme.Rec"}"#
            ),
            r#"{"type":"record","name":"Rec","namespace":"com.acme","doc":"docs","fields":[{"name":"a","type":"long","doc":"field doc","default":5},{"name":"b","type":{"type":"record","name":"In","fields":[{"name":"x","type":{"type":"int","connect.type":"int8","a":1}}]}},{"name":"c","type":["null","In"],"default":null},{"name":"d","type":{"type":"record","name":"Other","namespace":"x.y","fields":[]}}],"connect.name":"com.acme.Rec"}"#
        );
        assert_eq!(canonical(r#""string""#), r#""string""#);
        assert_eq!(canonical(r#"{"type":"string"}"#), r#""string""#);
        assert_eq!(
            canonical(
                r#"{"type":"enum","name":"E","symbols":["A","B"],"default":"A","doc":"d","p":"q"}"#
            ),
            r#"{"type":"enum","name":"E","doc":"d","symbols":["A","B"],"default":"A","p":"q"}"#
        );
        assert_eq!(
            canonical(r#"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#),
            r#"{"type":"bytes","logicalType":"decimal","precision":10,"scale":2}"#
        );
    }

    #[test]
    fn recursive_types_print_by_name() {
        let text = r#"{"type":"record","name":"Node","fields":[{"name":"next","type":["null","Node"],"default":null}]}"#;
        assert_eq!(canonical(text), text);
    }

    #[test]
    fn invalid_schemas_fail_with_avro_messages() {
        let err = AvroSchema::parse(r#"{"type":"record","name":"Bad-Name","fields":[]}"#)
            .expect_err("invalid name");
        assert_eq!(err.simple_class(), "SchemaParseException");
        assert_eq!(err.message(), "Illegal character in: Bad-Name");
        let err = AvroSchema::parse(r#""Missing""#).expect_err("undefined name");
        assert_eq!(err.message(), "Undefined name: \"Missing\"");
        let err = AvroSchema::parse(r#"["int","int"]"#).expect_err("duplicate branch");
        assert_eq!(err.message(), "Duplicate in union:int");
        let err = AvroSchema::parse(r#"{"type":"record","name":"1a","fields":[]}"#)
            .expect_err("digit first");
        assert_eq!(err.message(), "Illegal initial character: 1a");
    }

    #[test]
    fn names_split_and_qualify_like_avro_java() {
        let name = Name::new("com.example.User", Some("ignored")).expect("valid");
        assert_eq!(name.namespace(), Some("com.example"));
        assert_eq!(name.simple(), "User");
        assert_eq!(name.qualified(Some("com.example")), "User");
        assert_eq!(name.qualified(Some("other")), "com.example.User");
        let plain = Name::new("User", Some("")).expect("valid");
        assert_eq!(plain.namespace(), None);
    }
}
