//! The string forms of Connect values, as Kafka's `org.apache.kafka.connect.data.Values`.
//!
//! Kafka Connect's default header converter writes every header as text and infers a type when
//! reading it back. Consumers of those headers (Java sinks, SMTs, other Connect clusters) see
//! exactly what `Values.convertToString` printed and what `Values.parseString` inferred, so
//! both directions here follow Kafka byte for byte, quirks included:
//!
//! - [`convert_to_string`] prints numbers as the JVM does, bytes as base64, decimals with
//!   `BigDecimal.toString()`, dates as `HH:mm:ss.SSS'Z'` (anything before 1970-01-02, negative
//!   values included), `yyyy-MM-dd` (exact midnights) or `yyyy-MM-dd'T'HH:mm:ss.SSS'Z'`, and
//!   containers in a JSON-like form (`[1,"a"]`, `{"k":1}`, structs as `{"field":value}`) where
//!   embedded strings are quoted with `\` and `"` escaped.
//! - [`parse_string`] tokenizes on `: , { } [ ] "` (a backslash escapes them) and infers:
//!   `true`/`false`, `null`, the smallest integer type that holds a whole number (`1.0` is
//!   INT8), FLOAT32 when a fraction fits a float, FLOAT64 when only a double does, a Decimal
//!   otherwise; Date, Time and Timestamp for their ISO forms (parsed as leniently as Java's
//!   `SimpleDateFormat`, so `2019-13-01` is 2020-01-01); arrays and maps whose element types are
//!   unified when they are numeric or equal; and a STRING holding the whole input for anything
//!   else. Like Kafka, a number at the start of a longer text wins (`1,2` reads as INT8 1),
//!   quoted strings keep their escapes, and a container with a null next to typed elements
//!   falls back to the whole text as a string.
//!
//! Kafka's JVM formats and parses dates in its default time zone; Connect workers run in UTC
//! almost everywhere, and this module always uses UTC.
//!
//! Kafka describes arrays whose elements share no type, and maps without common key or value
//! types, with a schema whose element schema is null. [`Schema`] cannot express that, so such
//! values (and the containers holding them) are returned with no schema; the values themselves
//! are the ones Kafka produces.

use std::collections::HashMap;
use std::fmt::Write as _;

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use connect_core::logical::{
    DATE_NAME, DECIMAL_NAME, TIME_NAME, TIMESTAMP_NAME, date_schema, date_to_logical,
    decimal_schema, decimal_to_logical, time_schema, time_to_logical, timestamp_schema,
};
use connect_core::time::{MILLIS_PER_DAY, civil_from_days, days_from_civil};
use connect_core::{BigDecimal, Schema, SchemaAndValue, SchemaBuilder, SchemaType, Value};

/// Deepest nesting of arrays and maps [`parse_string`] follows. Kafka recurses once per level
/// and gives up where the JVM's stack ends (a few thousand levels); a fixed limit keeps a
/// hostile header from overflowing ours. At this depth parsing uses under 1 MB of stack even
/// in debug builds (about 0.4 MB optimized).
pub const MAX_NESTING_DEPTH: usize = 500;

/// Why [`parse_string`] could not produce a value at all (where Kafka's JVM throws an error
/// rather than falling back to a string).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Arrays and maps nested deeper than [`MAX_NESTING_DEPTH`]; Kafka's parser runs out of
    /// stack on such input and its header converter keeps the raw bytes instead.
    #[error("Arrays and maps are nested deeper than {max} levels")]
    NestingTooDeep {
        /// The limit that was exceeded.
        max: usize,
    },
}

/// The string form of a value, as Kafka's `Values.convertToString`: `None` for null.
///
/// The schema is accepted for parity with Kafka's signature; like Kafka, the text depends on
/// the value alone (a Date and a Timestamp at the same instant print the same).
pub fn convert_to_string(_schema: Option<&Schema>, value: &Value) -> Option<String> {
    if value.is_null() {
        return None;
    }
    let mut out = String::new();
    append(&mut out, value, false);
    Some(out)
}

/// Parses the string form of a value, inferring its schema, as Kafka's `Values.parseString`.
///
/// The empty string is an empty STRING, `null` gives no schema and a null value, and text
/// that is nothing else is a STRING holding the whole input. Arrays and maps whose contents
/// have no common type come back without a schema (see the module documentation).
pub fn parse_string(text: &str) -> Result<SchemaAndValue, ParseError> {
    if text.is_empty() {
        return Ok(SchemaAndValue::new(
            Schema::primitive(SchemaType::String, false),
            Value::String(String::new()),
        ));
    }
    let mut parser = ValueParser::new(text);
    match parser.parse(false, 0) {
        Ok(None) => Ok(SchemaAndValue::NULL),
        Ok(Some(parsed)) => Ok(SchemaAndValue::new(parsed.schema.to_schema(), parsed.value)),
        Err(Failure::TooDeep) => Err(ParseError::NestingTooDeep {
            max: MAX_NESTING_DEPTH,
        }),
        // Kafka catches every data error below the top level; should one surface here, the
        // input is plain text, which is what Kafka makes of anything it cannot parse.
        Err(Failure::Data(_)) => Ok(SchemaAndValue::new(
            Schema::primitive(SchemaType::String, false),
            Value::String(text.to_string()),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing

fn append(out: &mut String, value: &Value, embedded: bool) {
    if value.push_java_scalar(out) {
        return;
    }
    match value {
        Value::String(s) => {
            if embedded {
                out.push('"');
                push_escaped(out, s);
                out.push('"');
            } else {
                out.push_str(s);
            }
        }
        Value::Bytes(bytes) => {
            if embedded {
                out.push('"');
                BASE64.encode_string(bytes, out);
                out.push('"');
            } else {
                BASE64.encode_string(bytes, out);
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                append(out, item, true);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                append(out, key, true);
                out.push(':');
                append(out, item, true);
            }
            out.push('}');
        }
        Value::Struct(s) => {
            out.push('{');
            for (i, (field, item)) in s.schema().fields().iter().zip(s.values()).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push('"');
                push_escaped(out, field.name());
                out.push('"');
                out.push(':');
                // A struct field reads as its default when unset, as Kafka's `Struct.get`.
                let effective = match (item, field.schema().default_value()) {
                    (Value::Null, Some(default)) => default,
                    _ => item,
                };
                append(out, effective, true);
            }
            out.push('}');
        }
        Value::Timestamp(millis) => push_date(out, *millis),
        // Scalars were written above.
        _ => {}
    }
}

/// Kafka's escaping of embedded strings: backslashes doubled, then quotes backslashed.
fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            other => out.push(other),
        }
    }
}

/// Kafka's `dateFormatFor(date).format(date)` in UTC: a time below one day after the epoch
/// (so every instant before 1970-01-02, negative ones too), a date at exact midnights, a full
/// timestamp otherwise.
fn push_date(out: &mut String, millis: i64) {
    let days = millis.div_euclid(MILLIS_PER_DAY);
    let ms = millis.rem_euclid(MILLIS_PER_DAY);
    let (hour, minute, second, milli) = (
        ms / 3_600_000,
        (ms / 60_000) % 60,
        (ms / 1000) % 60,
        ms % 1000,
    );
    if millis < MILLIS_PER_DAY {
        let _ = write!(out, "{hour:02}:{minute:02}:{second:02}.{milli:03}Z");
        return;
    }
    // From here on the instant is after 1970, where Java's calendar is the Gregorian one and
    // the year of era is the year itself.
    let (year, month, day) = civil_from_days(days);
    let _ = write!(out, "{year:04}-{month:02}-{day:02}");
    if millis % MILLIS_PER_DAY != 0 {
        let _ = write!(out, "T{hour:02}:{minute:02}:{second:02}.{milli:03}Z");
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: the tokenizer

/// Java's `String.trim()`: strips every character up to and including U+0020.
fn java_trim(text: &str) -> &str {
    text.trim_matches(|c: char| c <= ' ')
}

/// Kafka's `Utils.isBlank`: empty after [`java_trim`].
fn is_blank(text: &str) -> bool {
    java_trim(text).is_empty()
}

/// Kafka's `Values.Parser`: splits text into delimiter tokens (`: , { } [ ] "`, unless escaped
/// by a backslash) and the runs between them, with one token of look-ahead and rewinding.
/// Positions are byte offsets; every delimiter is ASCII, so they fall on character boundaries.
struct Tokenizer<'a> {
    original: &'a str,
    index: usize,
    next_token: Option<&'a str>,
    previous_token: Option<&'a str>,
}

impl<'a> Tokenizer<'a> {
    fn new(original: &'a str) -> Self {
        Self {
            original,
            index: 0,
            next_token: None,
            previous_token: None,
        }
    }

    fn slice(&self, start: usize, end: usize) -> &'a str {
        self.original.get(start..end).unwrap_or_default()
    }

    fn position(&self) -> usize {
        self.index
    }

    /// Where the next token starts (before a token already peeked at).
    fn mark(&self) -> usize {
        self.index - self.next_token.map_or(0, str::len)
    }

    fn rewind_to(&mut self, position: usize) {
        self.index = position;
        self.next_token = None;
        self.previous_token = None;
    }

    fn has_next(&self) -> bool {
        self.next_token.is_some() || self.can_consume_next_token()
    }

    fn can_consume_next_token(&self) -> bool {
        self.index < self.original.len()
    }

    fn next(&mut self) -> &'a str {
        let token = match self.next_token.take() {
            Some(token) => token,
            None => self.consume_next_token(),
        };
        self.previous_token = Some(token);
        token
    }

    /// The text of the next `n` tokens, or `None` (and no tokens consumed) if fewer remain.
    fn next_n(&mut self, n: usize) -> Option<&'a str> {
        let start = self.mark();
        for _ in 0..n {
            if !self.has_next() {
                self.rewind_to(start);
                return None;
            }
            self.next();
        }
        Some(self.slice(start, self.position()))
    }

    fn previous(&self) -> Option<&'a str> {
        self.previous_token
    }

    fn consume_next_token(&mut self) -> &'a str {
        let bytes = self.original.as_bytes();
        let start = self.index;
        let mut escaped = false;
        while let Some(&b) = bytes.get(self.index) {
            match b {
                b'\\' => escaped = !escaped,
                b':' | b',' | b'{' | b'}' | b'[' | b']' | b'"' => {
                    if !escaped {
                        if start < self.index {
                            return self.slice(start, self.index);
                        }
                        self.index += 1;
                        return self.slice(start, start + 1);
                    }
                    escaped = false;
                }
                _ => escaped = false,
            }
            self.index += 1;
        }
        self.slice(start, self.index)
    }

    /// Consumes the next token if, blanks skipped and trimmed, it is `expected`.
    fn can_consume(&mut self, expected: &str) -> bool {
        let mut token = match self.next_token {
            Some(token) => token,
            None => {
                if !self.has_next() {
                    return false;
                }
                self.consume_next_token()
            }
        };
        while is_blank(token) && self.can_consume_next_token() {
            token = self.consume_next_token();
        }
        if java_trim(token) == expected {
            self.next_token = None;
            true
        } else {
            self.next_token = Some(token);
            false
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: inferred schemas

/// A schema as Kafka infers it while parsing, able to say "an array whose elements share no
/// type" (Kafka's null element schema), which [`Schema`] cannot. Every inferred schema is
/// required (not optional), as in Kafka.
#[derive(Clone, Debug, PartialEq)]
enum Inferred {
    /// A plain primitive schema (`Schema.INT8_SCHEMA`, `Schema.STRING_SCHEMA`, ...).
    Primitive(SchemaType),
    /// A logical type: Decimal with its scale, Date, Time or Timestamp.
    Logical(Schema),
    /// An array and, when its elements agree, their schema.
    Array(Option<Box<Inferred>>),
    /// A map and, when they agree, its key and value schemas.
    Map(Option<Box<Inferred>>, Option<Box<Inferred>>),
}

impl Inferred {
    fn kind(&self) -> SchemaType {
        match self {
            Inferred::Primitive(kind) => *kind,
            Inferred::Logical(schema) => schema.kind(),
            Inferred::Array(_) => SchemaType::Array,
            Inferred::Map(..) => SchemaType::Map,
        }
    }

    /// The equivalent [`Schema`], if it has no missing element schema anywhere.
    fn to_schema(&self) -> Option<Schema> {
        match self {
            Inferred::Primitive(kind) => Schema::primitive(*kind, false),
            Inferred::Logical(schema) => Some(schema.clone()),
            Inferred::Array(Some(element)) => {
                SchemaBuilder::array(element.to_schema()?).build().ok()
            }
            Inferred::Map(Some(key), Some(value)) => {
                SchemaBuilder::map(key.to_schema()?, value.to_schema()?)
                    .build()
                    .ok()
            }
            Inferred::Array(None) | Inferred::Map(..) => None,
        }
    }
}

/// Why a parse step failed.
#[derive(Debug)]
enum Failure {
    /// Kafka's `DataException`: caught by the enclosing array or map, which then reads the
    /// text as a string instead.
    Data(String),
    /// Nesting beyond [`MAX_NESTING_DEPTH`]: aborts the whole parse (Kafka's stack overflow).
    TooDeep,
}

impl From<connect_core::ConnectError> for Failure {
    fn from(error: connect_core::ConnectError) -> Self {
        Failure::Data(error.message().to_string())
    }
}

fn data(message: impl Into<String>) -> Failure {
    Failure::Data(message.into())
}

/// A parsed value with its inferred schema.
#[derive(Clone, Debug, PartialEq)]
struct Parsed {
    schema: Inferred,
    value: Value,
}

impl Parsed {
    fn new(schema: Inferred, value: Value) -> Self {
        Self { schema, value }
    }

    fn string(text: &str) -> Self {
        Self::new(
            Inferred::Primitive(SchemaType::String),
            Value::String(text.to_string()),
        )
    }
}

/// Finds the one schema that can hold every element seen, as Kafka's `SchemaMerger`: numbers
/// widen (INT8 < INT16 < INT32 < INT64 < FLOAT32 < FLOAT64, by physical type, so a Date merges
/// with an INT16), equal types keep the latest schema, anything else has no common schema.
#[derive(Default)]
struct SchemaMerger {
    common: Option<Inferred>,
    incompatible: bool,
}

impl SchemaMerger {
    fn merge(&mut self, latest: Option<&Inferred>) {
        let Some(latest) = latest else {
            return;
        };
        if self.incompatible {
            return;
        }
        self.common = match self.common.take() {
            None => Some(latest.clone()),
            Some(previous) => {
                let merged = merge_schemas(previous, latest);
                self.incompatible = merged.is_none();
                merged
            }
        };
    }
}

fn numeric_rank(kind: SchemaType) -> Option<u8> {
    Some(match kind {
        SchemaType::Int8 => 0,
        SchemaType::Int16 => 1,
        SchemaType::Int32 => 2,
        SchemaType::Int64 => 3,
        SchemaType::Float32 => 4,
        SchemaType::Float64 => 5,
        _ => return None,
    })
}

fn merge_schemas(previous: Inferred, latest: &Inferred) -> Option<Inferred> {
    let (previous_kind, latest_kind) = (previous.kind(), latest.kind());
    if previous_kind == latest_kind {
        // Both are required, so Kafka keeps the newer one without comparing them.
        return Some(latest.clone());
    }
    let previous_rank = numeric_rank(previous_kind)?;
    let latest_rank = numeric_rank(latest_kind)?;
    if latest_rank > previous_rank {
        Some(latest.clone())
    } else {
        Some(previous)
    }
}

// ---------------------------------------------------------------------------------------------
// Reading: the value parser

/// A map with Java `LinkedHashMap` semantics: a repeated key keeps its first position and
/// takes the latest value.
#[derive(Default)]
struct LinkedMap {
    entries: Vec<(Value, Value)>,
    positions: HashMap<Value, usize>,
}

impl LinkedMap {
    fn put(&mut self, key: Value, value: Value) {
        match self.positions.get(&key) {
            Some(&at) => {
                if let Some(entry) = self.entries.get_mut(at) {
                    entry.1 = value;
                }
            }
            None => {
                self.positions.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }
}

/// Kafka's `Values.ValueParser`.
struct ValueParser<'a> {
    parser: Tokenizer<'a>,
}

impl<'a> ValueParser<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            parser: Tokenizer::new(text),
        }
    }

    /// Parses one value; `Ok(None)` is a null (or nothing left to read).
    ///
    /// This and the container parsers recurse once per nesting level, so they keep their own
    /// frames small and leave everything else to helpers.
    fn parse(&mut self, embedded: bool, depth: usize) -> Result<Option<Parsed>, Failure> {
        if let Some(simple) = self.parse_literal(embedded)? {
            return Ok(simple);
        }
        let start = self.parser.mark();
        let container = if self.parser.can_consume("[") {
            self.parse_array(depth + 1)
        } else if self.parser.can_consume("{") {
            self.parse_map(depth + 1)
        } else {
            return self.parse_plain_token(embedded);
        };
        match container {
            Ok(parsed) => Ok(Some(parsed)),
            Err(Failure::Data(reason)) => {
                reverting_to_string(&reason);
                self.parser.rewind_to(start);
                self.parse_plain_token(embedded)
            }
            Err(Failure::TooDeep) => Err(Failure::TooDeep),
        }
    }

    /// Nothing left, a quoted string (inside containers) or a `null`/`true`/`false` literal:
    /// `Some` with the result, `None` to go on with containers and other tokens.
    #[inline(never)]
    fn parse_literal(&mut self, embedded: bool) -> Result<Option<Option<Parsed>>, Failure> {
        if !self.parser.has_next() {
            return Ok(Some(None));
        }
        if embedded && self.parser.can_consume("\"") {
            return self.parse_quoted_string().map(|s| Some(Some(s)));
        }
        if self.can_parse_single_token_literal(embedded, "null") {
            return Ok(Some(None));
        }
        for (literal, value) in [("true", true), ("false", false)] {
            if self.can_parse_single_token_literal(embedded, literal) {
                return Ok(Some(Some(Parsed::new(
                    Inferred::Primitive(SchemaType::Boolean),
                    Value::Boolean(value),
                ))));
            }
        }
        Ok(None)
    }

    /// A token that is not a container: a date, time, number or (at the top level) the text.
    #[inline(never)]
    fn parse_plain_token(&mut self, embedded: bool) -> Result<Option<Parsed>, Failure> {
        let token = self.parser.next();
        if is_blank(token) {
            return Ok(Some(Parsed::string(token)));
        }
        self.parse_next_token(embedded, java_trim(token))
    }

    /// Whether the next token is `literal` and, at the top level, the last one (so `true}` is
    /// a string, not a boolean).
    fn can_parse_single_token_literal(&mut self, embedded: bool, literal: &str) -> bool {
        let start = self.parser.mark();
        if self.parser.can_consume(literal) && (embedded || !self.parser.has_next()) {
            return true;
        }
        self.parser.rewind_to(start);
        false
    }

    fn parse_next_token(&mut self, embedded: bool, token: &str) -> Result<Option<Parsed>, Failure> {
        let first = token.chars().next().unwrap_or(' ');
        let first_is_digit = first.is_ascii_digit();
        // Temporal forms are the most restrictive, so they are tried first.
        if first_is_digit && let Some(temporal) = self.parse_multiple_tokens_as_temporal(token)? {
            return Ok(Some(temporal));
        }
        if (first_is_digit || first == '+' || first == '-')
            && let Some(number) = parse_as_number(token)?
        {
            return Ok(Some(number));
        }
        if embedded {
            return Err(data("Failed to parse embedded value"));
        }
        // At the top level, anything else is the whole input as a string.
        Ok(Some(Parsed::string(self.parser.original)))
    }

    fn parse_quoted_string(&mut self) -> Result<Parsed, Failure> {
        let mut content = String::new();
        while self.parser.has_next() {
            if self.parser.can_consume("\"") {
                break;
            }
            content.push_str(self.parser.next());
        }
        // Quoted text may still be a date, time or timestamp; nothing else is inferred.
        if let Some(temporal) = parse_as_temporal(&content)? {
            return Ok(temporal);
        }
        Ok(Parsed::string(&content))
    }

    fn parse_array(&mut self, depth: usize) -> Result<Parsed, Failure> {
        if depth > MAX_NESTING_DEPTH {
            return Err(Failure::TooDeep);
        }
        let mut result = Vec::new();
        let mut element_schema = SchemaMerger::default();
        while self.parser.has_next() {
            if self.parser.can_consume("]") {
                return finish_array(result, element_schema);
            }
            if self.parser.can_consume(",") {
                return Err(self.malformed("Unable to parse an empty array element: "));
            }
            let element = self.parse(true, depth)?;
            element_schema.merge(element.as_ref().map(|e| &e.schema));
            result.push(element.map_or(Value::Null, |e| e.value));

            let current = self.parser.mark();
            if self.parser.can_consume("]") {
                self.parser.rewind_to(current);
            } else if !self.parser.can_consume(",") {
                return Err(self.malformed("Array elements missing ',' delimiter: "));
            }
        }
        Err(self.unterminated(
            "Array is missing element after ',': ",
            "Array is missing terminating ']': ",
        ))
    }

    fn parse_map(&mut self, depth: usize) -> Result<Parsed, Failure> {
        if depth > MAX_NESTING_DEPTH {
            return Err(Failure::TooDeep);
        }
        let mut result = LinkedMap::default();
        let mut key_schema = SchemaMerger::default();
        let mut value_schema = SchemaMerger::default();
        while self.parser.has_next() {
            if self.parser.can_consume("}") {
                return finish_map(result, key_schema, value_schema);
            }
            if self.parser.can_consume(",") {
                return Err(self.malformed("Unable to parse a map entry with no key or value: "));
            }
            let Some(key) = self.parse(true, depth)? else {
                return Err(self.malformed("Map entry may not have a null key: "));
            };
            if !self.parser.can_consume(":") {
                return Err(self.malformed("Map entry is missing ':' in "));
            }
            let value = self.parse(true, depth)?;
            key_schema.merge(Some(&key.schema));
            value_schema.merge(value.as_ref().map(|v| &v.schema));
            result.put(key.value, value.map_or(Value::Null, |v| v.value));
            self.parser.can_consume(",");
        }
        Err(self.unterminated(
            "Map is missing element after ',': ",
            "Map is missing terminating '}': ",
        ))
    }

    #[cold]
    #[inline(never)]
    fn malformed(&self, what: &str) -> Failure {
        data(format!("{what}{}", self.parser.original))
    }

    /// The error for a container that ran out of input, after a comma or not.
    #[cold]
    #[inline(never)]
    fn unterminated(&self, after_comma: &str, otherwise: &str) -> Failure {
        if self.parser.previous() == Some(",") {
            self.malformed(after_comma)
        } else {
            self.malformed(otherwise)
        }
    }

    /// A time or timestamp spans five tokens, since its colons are delimiters; try those
    /// together first, then the current token alone.
    fn parse_multiple_tokens_as_temporal(
        &mut self,
        token: &str,
    ) -> Result<Option<Parsed>, Failure> {
        let position = self.parser.mark();
        if let Some(remainder) = self.parser.next_n(4) {
            let combined = format!("{token}{remainder}");
            if let Some(temporal) = parse_as_temporal(&combined)? {
                return Ok(Some(temporal));
            }
        }
        self.parser.rewind_to(position);
        parse_as_temporal(token)
    }
}

#[cold]
#[inline(never)]
fn reverting_to_string(reason: &str) {
    tracing::trace!(%reason, "Unable to parse the value as a map or an array; reverting to string.");
}

/// An array's schema and its elements converted to it, when they have a common schema.
#[inline(never)]
fn finish_array(elements: Vec<Value>, element_schema: SchemaMerger) -> Result<Parsed, Failure> {
    let Some(common) = element_schema.common else {
        return Ok(Parsed::new(Inferred::Array(None), Value::Array(elements)));
    };
    let aligned = elements
        .into_iter()
        .map(|item| convert_to(&common, item))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Parsed::new(
        Inferred::Array(Some(Box::new(common))),
        Value::Array(aligned),
    ))
}

/// A map's schema and its entries converted to it: keys and values when both have a common
/// schema, keys alone when only they do, nothing otherwise.
#[inline(never)]
fn finish_map(
    entries: LinkedMap,
    key_schema: SchemaMerger,
    value_schema: SchemaMerger,
) -> Result<Parsed, Failure> {
    let Some(keys) = key_schema.common else {
        return Ok(Parsed::new(
            Inferred::Map(None, None),
            Value::Map(entries.entries),
        ));
    };
    let values = value_schema.common;
    let mut aligned = LinkedMap::default();
    for (key, value) in entries.entries {
        let value = match &values {
            Some(values) => convert_to(values, value)?,
            None => value,
        };
        aligned.put(convert_to(&keys, key)?, value);
    }
    Ok(Parsed::new(
        Inferred::Map(Some(Box::new(keys)), values.map(Box::new)),
        Value::Map(aligned.entries),
    ))
}

// ---------------------------------------------------------------------------------------------
// Reading: numbers

/// Kafka's number inference for a token starting with a digit or sign: `Ok(None)` when the
/// token is not a Java `BigDecimal`.
fn parse_as_number(token: &str) -> Result<Option<Parsed>, Failure> {
    let Some(decimal) = parse_java_big_decimal(token) else {
        return Ok(None);
    };
    if let Some(exact) = parse_as_exact_decimal(&decimal) {
        return Ok(Some(exact));
    }
    let scale = decimal.scale();
    let float = decimal.to_f32();
    if float.is_finite() && scale != 0 {
        return Ok(Some(Parsed::new(
            Inferred::Primitive(SchemaType::Float32),
            Value::Float32(float),
        )));
    }
    let double = decimal.to_f64();
    if double.is_finite() && scale != 0 {
        return Ok(Some(Parsed::new(
            Inferred::Primitive(SchemaType::Float64),
            Value::Float64(double),
        )));
    }
    let schema = decimal_schema(scale).build()?;
    Ok(Some(Parsed::new(
        Inferred::Logical(schema),
        Value::Decimal(decimal),
    )))
}

/// Java's `new BigDecimal(String)`, which also requires the exponent to fit an `int`.
fn parse_java_big_decimal(token: &str) -> Option<BigDecimal> {
    if let Some(at) = token.find(['e', 'E']) {
        let exponent = token.get(at + 1..)?;
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        exponent.parse::<i32>().ok()?;
    }
    token.parse().ok()
}

/// The smallest integer type holding a whole number between 1 and 10^19 in magnitude (or 0),
/// as Kafka's `parseAsExactDecimal`; `None` for fractions, tiny and huge numbers.
fn parse_as_exact_decimal(decimal: &BigDecimal) -> Option<Parsed> {
    let integral: i64 = if decimal.is_zero() {
        0
    } else {
        // The magnitude is in [10^adjusted, 10^(adjusted+1)).
        let adjusted = i64::from(decimal.precision()) - 1 - i64::from(decimal.scale());
        if !(0..=19).contains(&adjusted) {
            return None;
        }
        let plain = decimal.to_plain_string();
        let (integer, fraction) = plain.split_once('.').unwrap_or((plain.as_str(), ""));
        if !fraction.bytes().all(|b| b == b'0') {
            return None;
        }
        // Above i64 (10^19 included) there is no integer type; Kafka moves on.
        integer.parse::<i64>().ok()?
    };
    let (schema, value) = if let Ok(v) = i8::try_from(integral) {
        (SchemaType::Int8, Value::Int8(v))
    } else if let Ok(v) = i16::try_from(integral) {
        (SchemaType::Int16, Value::Int16(v))
    } else if let Ok(v) = i32::try_from(integral) {
        (SchemaType::Int32, Value::Int32(v))
    } else {
        (SchemaType::Int64, Value::Int64(integral))
    };
    Some(Parsed::new(Inferred::Primitive(schema), value))
}

// ---------------------------------------------------------------------------------------------
// Reading: aligning container contents with their common schema

fn unable(value: &Value, target: impl std::fmt::Display) -> Failure {
    data(format!(
        "Unable to convert {value} (class {}) to {target}",
        value.java_class_name()
    ))
}

/// Kafka's `Values.convertTo(schema, null, value)` for the schemas a container can infer.
fn convert_to(target: &Inferred, value: Value) -> Result<Value, Failure> {
    if value.is_null() {
        return Err(data(
            "Unable to convert a null value to a schema that requires a value",
        ));
    }
    match target {
        Inferred::Array(_) => match value {
            Value::Array(_) => Ok(value),
            other => Err(unable(&other, "ARRAY")),
        },
        Inferred::Map(..) => match value {
            Value::Map(_) => Ok(value),
            other => Err(unable(&other, "MAP")),
        },
        Inferred::Primitive(kind) => convert_to_type(*kind, None, value),
        Inferred::Logical(schema) => convert_to_type(schema.kind(), Some(schema), value),
    }
}

fn convert_to_type(
    kind: SchemaType,
    logical: Option<&Schema>,
    value: Value,
) -> Result<Value, Failure> {
    let name = logical.and_then(Schema::name);
    Ok(match kind {
        SchemaType::String => match value {
            Value::String(_) => value,
            other => Value::String(convert_to_string(None, &other).unwrap_or_default()),
        },
        SchemaType::Boolean => match value {
            Value::Boolean(_) => value,
            other => Value::Boolean(as_long(&other)? != 0),
        },
        SchemaType::Int8 => match value {
            Value::Int8(_) => value,
            other => Value::Int8(as_long(&other)? as i8),
        },
        SchemaType::Int16 => match value {
            Value::Int16(_) => value,
            other => Value::Int16(as_long(&other)? as i16),
        },
        SchemaType::Int32 => match (name, logical) {
            (Some(DATE_NAME), Some(schema)) => match value {
                Value::Timestamp(_) => value,
                other => Value::Timestamp(date_to_logical(schema, as_long(&other)? as i32)?),
            },
            (Some(TIME_NAME), Some(schema)) => match value {
                Value::Timestamp(_) => value,
                other => Value::Timestamp(time_to_logical(schema, as_long(&other)? as i32)?),
            },
            _ => match value {
                Value::Int32(_) => value,
                other => Value::Int32(as_long(&other)? as i32),
            },
        },
        SchemaType::Int64 => match (name, value) {
            (Some(TIMESTAMP_NAME), value @ Value::Timestamp(_)) => value,
            (Some(TIMESTAMP_NAME), other) => Value::Timestamp(as_long(&other)?),
            (_, value @ Value::Int64(_)) => value,
            (_, other) => Value::Int64(as_long(&other)?),
        },
        SchemaType::Float32 => match value {
            Value::Float32(_) => value,
            other => Value::Float32(as_double(&other)? as f32),
        },
        SchemaType::Float64 => match value {
            Value::Float64(_) => value,
            other => Value::Float64(as_double(&other)?),
        },
        SchemaType::Bytes => match (name, logical, value) {
            (Some(DECIMAL_NAME), _, value @ Value::Decimal(_)) => value,
            (Some(DECIMAL_NAME), Some(schema), Value::Bytes(bytes)) => {
                Value::Decimal(decimal_to_logical(schema, &bytes)?)
            }
            (None, _, value @ Value::Bytes(_)) => value,
            (_, _, other) => return Err(unable(&other, kind)),
        },
        SchemaType::Array | SchemaType::Map | SchemaType::Struct => {
            return Err(unable(&value, kind));
        }
    })
}

/// Kafka's `asLong` without a source schema: numbers narrow as Java's `longValue()`, strings
/// are read as decimals, dates and everything else are refused.
fn as_long(value: &Value) -> Result<i64, Failure> {
    Ok(match value {
        Value::Int8(v) => i64::from(*v),
        Value::Int16(v) => i64::from(*v),
        Value::Int32(v) => i64::from(*v),
        Value::Int64(v) => *v,
        Value::Float32(v) => *v as i64,
        Value::Float64(v) => *v as i64,
        Value::Decimal(d) => d.to_i64_wrapping(),
        Value::String(s) => parse_java_big_decimal(s)
            .ok_or_else(|| unable(value, "a number"))?
            .to_i64_wrapping(),
        other => return Err(unable(other, "a number")),
    })
}

/// Kafka's `asDouble` without a source schema.
fn as_double(value: &Value) -> Result<f64, Failure> {
    Ok(match value {
        Value::Int8(v) => f64::from(*v),
        Value::Int16(v) => f64::from(*v),
        Value::Int32(v) => f64::from(*v),
        Value::Int64(v) => *v as f64,
        Value::Float32(v) => f64::from(*v),
        Value::Float64(v) => *v,
        Value::Decimal(d) => d.to_f64(),
        Value::String(s) => parse_java_big_decimal(s)
            .ok_or_else(|| unable(value, "a number"))?
            .to_f64(),
        other => return Err(unable(other, "a number")),
    })
}

// ---------------------------------------------------------------------------------------------
// Reading: dates, times and timestamps

/// Length in UTF-16 units (Java's `String.length()`) of `HH:mm:ss.SSSZ`.
const TIME_LENGTH: usize = 13;
/// Length of `yyyy-MM-ddTHH:mm:ss.SSSZ`.
const TIMESTAMP_LENGTH: usize = 24;
/// Length of `yyyy-MM-dd`.
const DATE_LENGTH: usize = 10;

/// Kafka's `parseAsTemporal`: the token's length picks the pattern, then Java's lenient
/// `SimpleDateFormat` decides.
fn parse_as_temporal(token: &str) -> Result<Option<Parsed>, Failure> {
    let token = token.replace("\\:", ":");
    let (pattern, schema): (&[Pattern], _) = match token.encode_utf16().count() {
        TIME_LENGTH => (&TIME_PATTERN, time_schema()),
        TIMESTAMP_LENGTH => (&TIMESTAMP_PATTERN, timestamp_schema()),
        DATE_LENGTH => (&DATE_PATTERN, date_schema()),
        _ => return Ok(None),
    };
    match parse_lenient_date(&token, pattern) {
        Some(millis) => Ok(Some(Parsed::new(
            Inferred::Logical(schema.build()?),
            Value::Timestamp(millis),
        ))),
        None => Ok(None),
    }
}

/// One element of a `SimpleDateFormat` pattern.
#[derive(Clone, Copy, Debug)]
enum Pattern {
    /// `yyyy`.
    Year,
    /// `MM`.
    Month,
    /// `dd`.
    Day,
    /// `HH`.
    Hour,
    /// `mm`.
    Minute,
    /// `ss`.
    Second,
    /// `SSS`.
    Millisecond,
    /// A character that must appear as is.
    Literal(char),
}

const DATE_PATTERN: [Pattern; 5] = [
    Pattern::Year,
    Pattern::Literal('-'),
    Pattern::Month,
    Pattern::Literal('-'),
    Pattern::Day,
];

const TIME_PATTERN: [Pattern; 8] = [
    Pattern::Hour,
    Pattern::Literal(':'),
    Pattern::Minute,
    Pattern::Literal(':'),
    Pattern::Second,
    Pattern::Literal('.'),
    Pattern::Millisecond,
    Pattern::Literal('Z'),
];

const TIMESTAMP_PATTERN: [Pattern; 14] = [
    Pattern::Year,
    Pattern::Literal('-'),
    Pattern::Month,
    Pattern::Literal('-'),
    Pattern::Day,
    Pattern::Literal('T'),
    Pattern::Hour,
    Pattern::Literal(':'),
    Pattern::Minute,
    Pattern::Literal(':'),
    Pattern::Second,
    Pattern::Literal('.'),
    Pattern::Millisecond,
    Pattern::Literal('Z'),
];

/// Calendar fields as a lenient `GregorianCalendar` receives them: any `int`, normalized
/// only when the time is computed.
struct CalendarFields {
    year: Option<i32>,
    month: i32,
    day: i32,
    hour: i32,
    minute: i32,
    second: i32,
    millisecond: i32,
}

/// Java's lenient `new SimpleDateFormat(pattern).parse(text, position)` in UTC: epoch
/// milliseconds, or `None` where Java reports no progress. Like Java, text left after the
/// pattern is ignored, numbers may be signed, longer than their pattern letters or out of
/// range (`2019-13-01` is 2020-01-01), and spaces or tabs may precede a number.
fn parse_lenient_date(text: &str, pattern: &[Pattern]) -> Option<i64> {
    let bytes = text.as_bytes();
    let mut pos = 0usize;
    let mut fields = CalendarFields {
        year: None,
        month: 0,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        millisecond: 0,
    };
    for element in pattern {
        if let Pattern::Literal(c) = *element {
            if !text.get(pos..)?.starts_with(c) {
                return None;
            }
            pos += c.len_utf8();
            continue;
        }
        loop {
            match bytes.get(pos) {
                None => return None,
                Some(b' ' | b'\t') => pos += 1,
                Some(_) => break,
            }
        }
        let (value, next) = parse_java_int(text, pos)?;
        pos = next;
        match element {
            Pattern::Year => fields.year = Some(value),
            Pattern::Month => fields.month = value.wrapping_sub(1),
            Pattern::Day => fields.day = value,
            Pattern::Hour => fields.hour = value,
            Pattern::Minute => fields.minute = value,
            Pattern::Second => fields.second = value,
            Pattern::Millisecond => fields.millisecond = value,
            Pattern::Literal(_) => {}
        }
    }
    Some(compute_time(&fields))
}

/// The integer `SimpleDateFormat` reads at `pos` with its `DecimalFormat` (English symbols,
/// integers only, no grouping): `NaN`, an optional `-`, `∞` or digits with an optional
/// `E`-exponent, then Java's `Number.intValue()` of the result. Returns the value and the
/// position after it.
fn parse_java_int(text: &str, pos: usize) -> Option<(i32, usize)> {
    let rest = text.get(pos..)?;
    if rest.starts_with("NaN") {
        return Some((0, pos + 3));
    }
    let negative = rest.starts_with('-');
    let mut i = usize::from(negative);
    if rest.get(i..)?.starts_with('∞') {
        let value = if negative { i32::MIN } else { i32::MAX };
        return Some((value, pos + i + '∞'.len_utf8()));
    }
    let bytes = rest.as_bytes();
    let mut digits = String::new();
    let mut saw_digit = false;
    let mut exponent: i64 = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            saw_digit = true;
            i += 1;
            if b == b'0' && digits.is_empty() {
                continue;
            }
            digits.push(char::from(b));
        } else if b == b'E' {
            if let Some((value, next)) = parse_java_exponent(bytes, i + 1) {
                exponent = value;
                i = next;
            }
            break;
        } else {
            break;
        }
    }
    if !saw_digit {
        return None;
    }
    let significant = digits.trim_end_matches('0');
    let decimal_at = i64::try_from(digits.len())
        .unwrap_or(i64::MAX)
        .saturating_add(exponent);
    let count = i64::try_from(significant.len()).unwrap_or(i64::MAX);
    let value = if significant.is_empty() {
        0
    } else if (count..=19).contains(&decimal_at) {
        // An integer of at most 19 digits: a Java `Long` if it fits, cut to its low 32 bits.
        let magnitude = format!("{significant}{}", "0".repeat((decimal_at - count) as usize))
            .parse::<i128>()
            .unwrap_or(i128::MAX);
        let signed = if negative { -magnitude } else { magnitude };
        match i64::try_from(signed) {
            Ok(long) => long as i32,
            Err(_) => java_double_to_int(signed as f64),
        }
    } else {
        let magnitude = format!("0.{significant}e{decimal_at}")
            .parse::<f64>()
            .unwrap_or(f64::INFINITY);
        java_double_to_int(if negative { -magnitude } else { magnitude })
    };
    Some((value, pos + i))
}

/// The exponent after an `E`: an optional `-` and at least one digit, saturating.
fn parse_java_exponent(bytes: &[u8], start: usize) -> Option<(i64, usize)> {
    let negative = bytes.get(start) == Some(&b'-');
    let mut i = start + usize::from(negative);
    let mut value: i64 = 0;
    let mut saw_digit = false;
    while let Some(&b) = bytes.get(i) {
        if !b.is_ascii_digit() {
            break;
        }
        saw_digit = true;
        value = value.saturating_mul(10).saturating_add(i64::from(b - b'0'));
        i += 1;
    }
    saw_digit.then_some((if negative { -value } else { value }, i))
}

/// Java's `(int) double`: truncation toward zero, saturating, NaN as 0 (Rust's `as` agrees).
fn java_double_to_int(value: f64) -> i32 {
    value as i32
}

/// Days from 1970-01-01 of Gregorian 1582-10-15, where Java's default calendar switches from
/// Julian to Gregorian.
const GREGORIAN_CUTOVER_DAY: i64 = -141_427;
/// The year of the cutover.
const GREGORIAN_CUTOVER_YEAR: i32 = 1582;

/// Days from 1970-01-01 of a date in the proleptic Julian calendar (year 0 is 1 BC).
fn julian_days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    fn raw(year: i64, month: u32, day: u32) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let m = i64::from(month);
        let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        y.div_euclid(4) * 1461 + y.rem_euclid(4) * 365 + day_of_year
    }
    // Gregorian 1970-01-01 is Julian 1969-12-19.
    raw(year, month, day) - raw(1969, 12, 19)
}

/// The first day of a month (0-based, normalized into the year as Java does) in one calendar.
fn first_of_month(year: i32, month: i32, julian: bool) -> i64 {
    let (year, month) = if month > 11 {
        (year.wrapping_add(month / 12), month % 12)
    } else if month < 0 {
        (
            year.wrapping_add(month.div_euclid(12)),
            month.rem_euclid(12),
        )
    } else {
        (year, month)
    };
    let month = (month + 1) as u32;
    if julian {
        julian_days_from_civil(i64::from(year), month, 1)
    } else {
        days_from_civil(i64::from(year), month, 1)
    }
}

/// A lenient `GregorianCalendar`'s `computeTime` in UTC: out-of-range fields carry over, and
/// dates before 1582-10-15 are Julian.
fn compute_time(fields: &CalendarFields) -> i64 {
    let year = fields.year.unwrap_or(1970);
    let time_of_day = ((i64::from(fields.hour) * 60 + i64::from(fields.minute)) * 60
        + i64::from(fields.second))
        * 1000
        + i64::from(fields.millisecond);
    let day_offset = time_of_day.div_euclid(MILLIS_PER_DAY);
    let time_of_day = time_of_day.rem_euclid(MILLIS_PER_DAY);
    let day_of_month = i64::from(fields.day) - 1;
    let gregorian = || day_offset + first_of_month(year, fields.month, false) + day_of_month;
    let julian = || day_offset + first_of_month(year, fields.month, true) + day_of_month;
    // Java tries the Gregorian calendar from the cutover year on and falls back to the Julian
    // one for dates before the cutover (including the ten days the switch skipped).
    let day = if year >= GREGORIAN_CUTOVER_YEAR {
        let g = gregorian();
        if g >= GREGORIAN_CUTOVER_DAY {
            g
        } else {
            julian()
        }
    } else {
        julian()
    };
    day.wrapping_mul(MILLIS_PER_DAY).wrapping_add(time_of_day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::Struct;

    fn int8() -> Option<Schema> {
        Schema::primitive(SchemaType::Int8, false)
    }

    fn string_schema() -> Option<Schema> {
        Schema::primitive(SchemaType::String, false)
    }

    fn parse(text: &str) -> SchemaAndValue {
        parse_string(text).unwrap()
    }

    /// The inferred schema and value, including element schemas [`Schema`] cannot express.
    fn parse_inferred(text: &str) -> Option<Parsed> {
        ValueParser::new(text).parse(false, 0).unwrap()
    }

    fn assert_string(text: &str) {
        assert_eq!(
            parse(text),
            SchemaAndValue::new(string_schema(), Value::String(text.to_string())),
            "{text:?} should read as a plain string"
        );
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_string())
    }

    fn map(entries: Vec<(Value, Value)>) -> Value {
        Value::Map(entries)
    }

    fn write(value: &Value) -> String {
        convert_to_string(None, value).unwrap()
    }

    // --- tokenizer (Kafka's ValuesTest.assertParsed) ---

    fn assert_tokens(input: &str, expected: &[&str]) {
        let mut parser = Tokenizer::new(input);
        for token in expected {
            assert!(parser.has_next());
            let position = parser.mark();
            assert_eq!(parser.next(), *token);
            assert_eq!(parser.position(), position + token.len());
            assert_eq!(parser.previous(), Some(*token));
            parser.rewind_to(position);
            assert_eq!(parser.position(), position);
            assert_eq!(parser.next(), *token);
            assert_eq!(parser.mark(), position + token.len());
        }
        assert!(!parser.has_next(), "{input:?} has more tokens");
        let mut parser = Tokenizer::new(input);
        for token in expected.iter().filter(|t| !is_blank(t)) {
            let position = parser.mark();
            assert!(parser.can_consume(java_trim(token)), "{input:?}: {token:?}");
            parser.rewind_to(position);
            assert!(parser.can_consume(java_trim(token)));
        }
    }

    #[test]
    fn tokenizer_keeps_text_without_delimiters_whole() {
        for input in [
            "  ",
            "simple",
            "simple string",
            "simple \n\t\u{8}string",
            "'simple' string",
            "si\\mple",
            "si\\\\mple",
        ] {
            assert_tokens(input, &[input]);
        }
    }

    #[test]
    fn tokenizer_ignores_escaped_delimiters() {
        for input in [
            "si\\\"mple",
            "si\\{mple",
            "si\\}mple",
            "si\\]mple",
            "si\\[mple",
            "si\\:mple",
            "si\\,mple",
        ] {
            assert_tokens(input, &[input]);
        }
    }

    #[test]
    fn tokenizer_splits_on_each_delimiter() {
        assert_tokens("a{b", &["a", "{", "b"]);
        assert_tokens("a}b", &["a", "}", "b"]);
        assert_tokens("a[b", &["a", "[", "b"]);
        assert_tokens("a]b", &["a", "]", "b"]);
        assert_tokens("a:b", &["a", ":", "b"]);
        assert_tokens("a,b", &["a", ",", "b"]);
        assert_tokens("a\"b", &["a", "\"", "b"]);
        assert_tokens("{b", &["{", "b"]);
        assert_tokens(",b", &[",", "b"]);
        assert_tokens("\"", &["\""]);
        assert_tokens(":", &[":"]);
        assert_tokens("\"simple\" string", &["\"", "simple", "\"", " string"]);
        assert_tokens("a{bc}d", &["a", "{", "bc", "}", "d"]);
        assert_tokens("a { b c } d", &["a ", "{", " b c ", "}", " d"]);
    }

    #[test]
    fn tokenizer_reads_several_tokens_or_none() {
        let mut parser = Tokenizer::new("a:b:c:d:e:f:g:h");
        assert_eq!(parser.next_n(5), Some("a:b:c"));
        assert_eq!(parser.next(), ":");
        assert_eq!(parser.next(), "d");
        assert_eq!(parser.next(), ":");
        assert_eq!(parser.next_n(8), None, "only 7 remain");
        assert_eq!(parser.next(), "e");
    }

    // --- writing ---

    #[test]
    fn escaping_doubles_backslashes_and_escapes_quotes() {
        let mut out = String::new();
        push_escaped(&mut out, "three\"blind\\\"mice");
        assert_eq!(out, "three\\\"blind\\\\\\\"mice");
    }

    #[test]
    fn null_has_no_string_form() {
        assert_eq!(
            convert_to_string(string_schema().as_ref(), &Value::Null),
            None
        );
    }

    #[test]
    fn primitives_print_like_the_jvm() {
        assert_eq!(write(&Value::Int8(-128)), "-128");
        assert_eq!(write(&Value::Int16(12345)), "12345");
        assert_eq!(write(&Value::Int32(i32::MIN)), "-2147483648");
        assert_eq!(write(&Value::Int64(i64::MAX)), "9223372036854775807");
        assert_eq!(write(&Value::Float32(1.0)), "1.0");
        assert_eq!(write(&Value::Float32(f32::MAX)), "3.4028235E38");
        assert_eq!(write(&Value::Float64(1e10)), "1.0E10");
        assert_eq!(write(&Value::Float64(f64::NAN)), "NaN");
        assert_eq!(write(&Value::Boolean(true)), "true");
        assert_eq!(write(&Value::Decimal(BigDecimal::new(12, -2))), "1.2E+3");
        assert_eq!(write(&Value::Decimal(BigDecimal::new(1050, 2))), "10.50");
        assert_eq!(
            write(&s("a \"quoted\" \\ string")),
            "a \"quoted\" \\ string"
        );
        assert_eq!(write(&Value::Bytes(vec![0, 1, 2, 250])), "AAEC+g==");
    }

    #[test]
    fn dates_print_as_time_date_or_timestamp_by_value() {
        assert_eq!(write(&Value::Timestamp(52_494_346)), "14:34:54.346Z");
        assert_eq!(write(&Value::Timestamp(0)), "00:00:00.000Z");
        // Anything before 1970-01-02 prints as a time of day, as in Kafka.
        assert_eq!(write(&Value::Timestamp(-1)), "23:59:59.999Z");
        assert_eq!(write(&Value::Timestamp(-31_536_000_000)), "00:00:00.000Z");
        assert_eq!(write(&Value::Timestamp(86_400_000)), "1970-01-02");
        assert_eq!(write(&Value::Timestamp(1_566_518_400_000)), "2019-08-23");
        assert_eq!(
            write(&Value::Timestamp(1_566_570_894_346)),
            "2019-08-23T14:34:54.346Z"
        );
        assert_eq!(
            write(&Value::Timestamp(86_400_001)),
            "1970-01-02T00:00:00.001Z"
        );
        assert_eq!(write(&Value::Timestamp(253_402_300_800_000)), "10000-01-01");
    }

    #[test]
    fn containers_quote_embedded_strings_and_bytes() {
        let list = Value::Array(vec![
            s("foo"),
            Value::Int16(13344),
            Value::Null,
            s("a\"b"),
            Value::Bytes(vec![1]),
            Value::Timestamp(1_566_518_400_000),
        ]);
        assert_eq!(
            write(&list),
            r#"["foo",13344,null,"a\"b","AQ==",2019-08-23]"#
        );
        let nested = map(vec![
            (s("k"), Value::Array(vec![Value::Int32(1), Value::Int32(2)])),
            (Value::Int8(3), map(vec![])),
        ]);
        assert_eq!(write(&nested), r#"{"k":[1,2],3:{}}"#);
    }

    #[test]
    fn structs_print_every_field_with_defaults() {
        let schema = SchemaBuilder::structure()
            .field(
                "name",
                Schema::primitive(SchemaType::String, false).unwrap(),
            )
            .field(
                "count",
                SchemaBuilder::int32()
                    .optional()
                    .default_value(Value::Int32(7))
                    .build()
                    .unwrap(),
            )
            .field("note", Schema::primitive(SchemaType::String, true).unwrap())
            .build()
            .unwrap();
        let value = Struct::new(schema).unwrap().with("name", "x\"y").unwrap();
        assert_eq!(
            write(&Value::Struct(value)),
            r#"{"name":"x\"y","count":7,"note":null}"#
        );
    }

    // --- literals ---

    #[test]
    fn booleans_and_null_need_to_stand_alone_at_top_level() {
        let ws = "\n \t \t\n";
        assert_eq!(
            parse(&format!("{ws}true{ws}")),
            SchemaAndValue::new(
                Schema::primitive(SchemaType::Boolean, false),
                Value::Boolean(true)
            )
        );
        assert_eq!(
            parse(&format!("{ws}false{ws}")).value,
            Value::Boolean(false)
        );
        assert_eq!(parse(&format!("{ws}null{ws}")), SchemaAndValue::NULL);
        assert_eq!(parse("null"), SchemaAndValue::NULL);
        assert_string("true}");
        assert_string("false]");
        assert_string("null=");
    }

    #[test]
    fn empty_and_blank_text_are_strings() {
        assert_eq!(
            parse(""),
            SchemaAndValue::new(string_schema(), Value::String(String::new()))
        );
        assert_string("  ");
        assert_string("simple");
        assert_string("null string");
    }

    #[test]
    fn text_that_only_looks_like_values_stays_a_string() {
        assert_string("{foo: 3}");
        assert_string("{3: foo}");
        assert_string("[foo]");
        assert_string("{6:9 4:20}");
        assert_string("[0 1 2]");
        assert_string("{null: 3}");
        assert_string("[1, 2, 3,,,]");
        assert_string("{ \"foo\" :  1234567890 ,, \"bar\" : 0 }");
        assert_string("{ \"foo\" :  1234567890 , \"a\", \"bar\" : 0 }");
        assert_string("[1, 2");
        assert_string("NaN");
        assert_string("-Infinity");
        assert_string("1 2");
        assert_string("2019-08-23 is a date");
        assert_string("three\"blind\\\"mice");
        assert_string("string with delimiters: <>?,./\\=+-!@#$%^&*(){}[]|;':");
    }

    #[test]
    fn malformed_container_after_whitespace_reads_as_the_whitespace_like_kafka() {
        // Kafka rewinds to before the blank token that precedes a failed container and
        // returns that token.
        assert_eq!(
            parse(" { ,,  , , }  "),
            SchemaAndValue::new(string_schema(), s(" "))
        );
        assert_eq!(parse("  [1,,]").value, s("  "));
    }

    #[test]
    fn text_after_a_leading_number_is_ignored_like_kafka() {
        // Kafka returns the first number and drops the rest of the tokens.
        assert_eq!(parse("1,2"), SchemaAndValue::new(int8(), Value::Int8(1)));
        assert_eq!(parse("12:30"), SchemaAndValue::new(int8(), Value::Int8(12)));
    }

    #[test]
    fn character_iterator_done_is_just_a_character() {
        // KAFKA-10574: U+FFFF once looked like the end of the input.
        assert_string("\u{FFFF}");
    }

    // --- numbers ---

    fn assert_number(text: &str, kind: SchemaType, value: Value) {
        assert_eq!(
            parse(text),
            SchemaAndValue::new(Schema::primitive(kind, false), value),
            "{text}"
        );
    }

    #[test]
    fn integers_take_the_smallest_type_that_holds_them() {
        assert_number("42", SchemaType::Int8, Value::Int8(42));
        assert_number("127", SchemaType::Int8, Value::Int8(127));
        assert_number("-128", SchemaType::Int8, Value::Int8(-128));
        assert_number("300", SchemaType::Int16, Value::Int16(300));
        assert_number("32767", SchemaType::Int16, Value::Int16(i16::MAX));
        assert_number("-32768", SchemaType::Int16, Value::Int16(i16::MIN));
        assert_number("2147483647", SchemaType::Int32, Value::Int32(i32::MAX));
        assert_number("-2147483648", SchemaType::Int32, Value::Int32(i32::MIN));
        assert_number(
            "9223372036854775807",
            SchemaType::Int64,
            Value::Int64(i64::MAX),
        );
        assert_number(
            "-9223372036854775808",
            SchemaType::Int64,
            Value::Int64(i64::MIN),
        );
        assert_number("+5", SchemaType::Int8, Value::Int8(5));
        assert_number("-0", SchemaType::Int8, Value::Int8(0));
        assert_number("1E2", SchemaType::Int8, Value::Int8(100));
    }

    #[test]
    fn whole_fractions_are_integers_and_others_floats() {
        assert_number("1.0", SchemaType::Int8, Value::Int8(1));
        assert_number("1.1", SchemaType::Float32, Value::Float32(1.1));
        assert_number("1.5", SchemaType::Float32, Value::Float32(1.5));
        assert_number("300.0", SchemaType::Int16, Value::Int16(300));
        assert_number("300.01", SchemaType::Float32, Value::Float32(300.01));
        assert_number("66000.0", SchemaType::Int32, Value::Int32(66000));
        assert_number(
            "66000.0008",
            SchemaType::Float32,
            Value::Float32(66000.0008),
        );
        assert_number("0.5", SchemaType::Float32, Value::Float32(0.5));
        assert_number("1e19", SchemaType::Float32, Value::Float32(1e19));
    }

    #[test]
    fn float_and_double_extremes_keep_their_type() {
        assert_number(
            "3.4028235E38",
            SchemaType::Float32,
            Value::Float32(f32::MAX),
        );
        assert_number(
            "-3.4028235E38",
            SchemaType::Float32,
            Value::Float32(-f32::MAX),
        );
        assert_number(
            "1.7976931348623157E308",
            SchemaType::Float64,
            Value::Float64(f64::MAX),
        );
        assert_number(
            "-1.7976931348623157E308",
            SchemaType::Float64,
            Value::Float64(-f64::MAX),
        );
    }

    #[test]
    fn integers_beyond_long_are_decimals_with_zero_scale() {
        for text in [
            "9223372036854775808",
            "-9223372036854775809",
            "123456789012345678901",
        ] {
            assert_eq!(
                parse(text),
                SchemaAndValue::new(
                    Some(decimal_schema(0).build().unwrap()),
                    Value::Decimal(text.parse().unwrap())
                ),
                "{text}"
            );
        }
    }

    #[test]
    fn extreme_exponents_are_cheap_and_typed_like_kafka() {
        assert_eq!(
            parse("1e+100000000"),
            SchemaAndValue::new(
                Some(decimal_schema(-100_000_000).build().unwrap()),
                Value::Decimal(BigDecimal::new(1, -100_000_000))
            )
        );
        assert_number("1e-100000000", SchemaType::Float32, Value::Float32(0.0));
        // An exponent beyond Java's int is not a number.
        assert_string("1e2147483648");
    }

    // --- temporal values ---

    fn logical(builder: SchemaBuilder) -> Option<Schema> {
        Some(builder.build().unwrap())
    }

    #[test]
    fn iso_forms_parse_as_logical_types_in_utc() {
        assert_eq!(
            parse("2019-08-23T14:34:54.346Z"),
            SchemaAndValue::new(
                logical(timestamp_schema()),
                Value::Timestamp(1_566_570_894_346)
            )
        );
        assert_eq!(
            parse("2019-08-23"),
            SchemaAndValue::new(logical(date_schema()), Value::Timestamp(1_566_518_400_000))
        );
        assert_eq!(
            parse("14:34:54.346Z"),
            SchemaAndValue::new(logical(time_schema()), Value::Timestamp(52_494_346))
        );
        assert_eq!(
            parse("2019-08-23T14\\:34\\:54.346Z"),
            SchemaAndValue::new(
                logical(timestamp_schema()),
                Value::Timestamp(1_566_570_894_346)
            )
        );
        assert_eq!(
            parse("14\\:34\\:54.346Z"),
            SchemaAndValue::new(logical(time_schema()), Value::Timestamp(52_494_346))
        );
    }

    #[test]
    fn dates_are_as_lenient_as_simple_date_format() {
        // Expected values come from JDK 17's SimpleDateFormat in UTC.
        let cases: &[(&str, i64)] = &[
            ("2019-13-01", 1_577_836_800_000),
            ("2019-02-30", 1_551_484_800_000),
            ("2019--1-01", 1_541_030_400_000),
            ("2019- 1-01", 1_546_300_800_000),
            ("1-1-1xxxxx", -62_135_769_600_000),
            ("2019-01-0x", 1_546_214_400_000),
            ("0000-01-01", -62_167_392_000_000),
            ("-001-01-01", -62_198_928_000_000),
            ("20-NaN-012", -61_537_968_000_000),
            ("2019-∞-01", 5_647_338_074_361_600_000),
            // Julian before the 1582 cutover, and Java's handling of the dates in between.
            ("1000-01-01", -30_609_792_000_000),
            ("1500-03-01", -14_825_808_000_000),
            ("1582-10-04", -12_219_379_200_000),
            ("1582-10-05", -12_219_292_800_000),
            ("1582-10-10", -12_218_860_800_000),
            ("0001-01-01", -62_135_769_600_000),
        ];
        for (text, millis) in cases {
            assert_eq!(
                parse_lenient_date(text, &DATE_PATTERN),
                Some(*millis),
                "{text}"
            );
        }
        assert_eq!(parse_lenient_date("1234567890", &DATE_PATTERN), None);
        assert_eq!(
            parse_lenient_date("99:99:99.999Z", &TIME_PATTERN),
            Some(362_439_999)
        );
        assert_eq!(
            parse_lenient_date("1:34:54.3467Z", &TIME_PATTERN),
            Some(5_697_467)
        );
        assert_eq!(
            parse_lenient_date("-1:00:00.000Z", &TIME_PATTERN),
            Some(-3_600_000)
        );
        assert_eq!(
            parse_lenient_date("2019-08-23T14:34:54.34xZ", &TIMESTAMP_PATTERN),
            None
        );
        assert_eq!(
            parse("2019-13-01"),
            SchemaAndValue::new(logical(date_schema()), Value::Timestamp(1_577_836_800_000))
        );
    }

    #[test]
    fn ten_digit_numbers_are_numbers_not_dates() {
        assert_number("1234567890", SchemaType::Int32, Value::Int32(1_234_567_890));
        assert_number("1566518400", SchemaType::Int32, Value::Int32(1_566_518_400));
    }

    #[test]
    fn temporal_values_parse_inside_arrays_and_maps() {
        let parsed = parse_inferred("[2019-08-23]").unwrap();
        assert_eq!(
            parsed.schema,
            Inferred::Array(Some(Box::new(Inferred::Logical(
                date_schema().build().unwrap()
            ))))
        );
        assert_eq!(
            parsed.value,
            Value::Array(vec![Value::Timestamp(1_566_518_400_000)])
        );

        let time = parse("[14:34:54.346Z]");
        assert_eq!(
            time.schema.unwrap().value_schema().unwrap().name(),
            Some(TIME_NAME)
        );
        assert_eq!(time.value, Value::Array(vec![Value::Timestamp(52_494_346)]));

        let many = parse(
            "[2019-08-23T14:34:54.346Z,2019-01-23T15:12:34.567Z,   2019-04-23T19:12:34.567Z]",
        );
        assert_eq!(
            many.schema,
            Some(
                SchemaBuilder::array(timestamp_schema().build().unwrap())
                    .build()
                    .unwrap()
            )
        );
        assert_eq!(
            many.value,
            Value::Array(vec![
                Value::Timestamp(1_566_570_894_346),
                Value::Timestamp(1_548_256_354_567),
                Value::Timestamp(1_556_046_754_567),
            ])
        );

        let expected = SchemaAndValue::new(
            Some(
                SchemaBuilder::map(string_schema().unwrap(), time_schema().build().unwrap())
                    .build()
                    .unwrap(),
            ),
            map(vec![(s("k1"), Value::Timestamp(52_494_346))]),
        );
        assert_eq!(parse("{\"k1\":\"14:34:54.346Z\"}"), expected);
        assert_eq!(parse("{\"k1\":14:34:54.346Z}"), expected);
    }

    // --- arrays and maps ---

    fn map_schema(key: SchemaType, value: SchemaType) -> Option<Schema> {
        Some(
            SchemaBuilder::map(
                Schema::primitive(key, false).unwrap(),
                Schema::primitive(value, false).unwrap(),
            )
            .build()
            .unwrap(),
        )
    }

    fn array_schema(element: SchemaType) -> Option<Schema> {
        Some(
            SchemaBuilder::array(Schema::primitive(element, false).unwrap())
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn arrays_of_one_type_get_that_element_schema() {
        assert_eq!(
            parse("[1,2,3]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Int8),
                Value::Array(vec![Value::Int8(1), Value::Int8(2), Value::Int8(3)])
            )
        );
        assert_eq!(
            parse("[true, false]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Boolean),
                Value::Array(vec![Value::Boolean(true), Value::Boolean(false)])
            )
        );
        assert_eq!(
            parse("[\"foo\",\"bar\"]"),
            SchemaAndValue::new(
                array_schema(SchemaType::String),
                Value::Array(vec![s("foo"), s("bar")])
            )
        );
    }

    #[test]
    fn numeric_elements_widen_to_the_largest_type() {
        assert_eq!(
            parse("[1, 2, 32768]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Int32),
                Value::Array(vec![Value::Int32(1), Value::Int32(2), Value::Int32(32768)])
            )
        );
        assert_eq!(
            parse("[1, 2, 3.4028235E38]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Float32),
                Value::Array(vec![
                    Value::Float32(1.0),
                    Value::Float32(2.0),
                    Value::Float32(f32::MAX)
                ])
            )
        );
        assert_eq!(
            parse("[1, 2, 1.7976931348623157E308]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Float64),
                Value::Array(vec![
                    Value::Float64(1.0),
                    Value::Float64(2.0),
                    Value::Float64(f64::MAX)
                ])
            )
        );
        assert_eq!(
            parse("[300, 1]"),
            SchemaAndValue::new(
                array_schema(SchemaType::Int16),
                Value::Array(vec![Value::Int16(300), Value::Int16(1)])
            )
        );
    }

    #[test]
    fn mixed_arrays_keep_each_element_type_without_element_schema() {
        let cases: &[(&str, Vec<Value>)] = &[
            (
                "[1, 2, 300, \"four\"]",
                vec![Value::Int8(1), Value::Int8(2), Value::Int16(300), s("four")],
            ),
            (
                "[2, 300, \"four\", 1]",
                vec![Value::Int8(2), Value::Int16(300), s("four"), Value::Int8(1)],
            ),
            (
                "[300, \"four\", 1, 2]",
                vec![Value::Int16(300), s("four"), Value::Int8(1), Value::Int8(2)],
            ),
            (
                "[\"four\", 1, 2, 300]",
                vec![s("four"), Value::Int8(1), Value::Int8(2), Value::Int16(300)],
            ),
        ];
        for (text, expected) in cases {
            let parsed = parse_inferred(text).unwrap();
            assert_eq!(parsed.schema, Inferred::Array(None), "{text}");
            assert_eq!(parsed.value, Value::Array(expected.clone()), "{text}");
            assert_eq!(
                parse(text),
                SchemaAndValue::new(None, Value::Array(expected.clone()))
            );
        }
    }

    #[test]
    fn strings_and_decimals_do_not_merge() {
        let text = "[\"1.0\", 9223372036854775808, -9223372036854775809, 1, 1]";
        let parsed = parse_inferred(text).unwrap();
        assert_eq!(parsed.schema, Inferred::Array(None));
        assert_eq!(
            parsed.value,
            Value::Array(vec![
                s("1.0"),
                Value::Decimal("9223372036854775808".parse().unwrap()),
                Value::Decimal("-9223372036854775809".parse().unwrap()),
                Value::Int8(1),
                Value::Int8(1),
            ])
        );
        assert_eq!(
            parse("[9223372036854775808, -9223372036854775809]").schema,
            Some(
                SchemaBuilder::array(decimal_schema(0).build().unwrap())
                    .build()
                    .unwrap()
            )
        );
    }

    #[test]
    fn a_null_next_to_typed_elements_makes_the_whole_text_a_string() {
        assert_string("[1, null]");
        assert_string("[null, 1]");
        assert_string("{\"a\": 1, \"b\": null, \"c\": 2}");
        let parsed = parse_inferred("[null]").unwrap();
        assert_eq!(parsed.schema, Inferred::Array(None));
        assert_eq!(parsed.value, Value::Array(vec![Value::Null]));
    }

    #[test]
    fn empty_and_nested_containers_infer_like_kafka() {
        let cases: &[(&str, Inferred)] = &[
            ("[]", Inferred::Array(None)),
            ("{}", Inferred::Map(None, None)),
            (
                "[[]]",
                Inferred::Array(Some(Box::new(Inferred::Array(None)))),
            ),
            (
                "[{}]",
                Inferred::Array(Some(Box::new(Inferred::Map(None, None)))),
            ),
            (
                "{\"a\":{}}",
                Inferred::Map(
                    Some(Box::new(Inferred::Primitive(SchemaType::String))),
                    Some(Box::new(Inferred::Map(None, None))),
                ),
            ),
            (
                "{\"a\":[]}",
                Inferred::Map(
                    Some(Box::new(Inferred::Primitive(SchemaType::String))),
                    Some(Box::new(Inferred::Array(None))),
                ),
            ),
        ];
        for (text, schema) in cases {
            assert_eq!(&parse_inferred(text).unwrap().schema, schema, "{text}");
        }
        assert_eq!(parse("[]"), SchemaAndValue::new(None, Value::Array(vec![])));
        assert_eq!(parse("{}"), SchemaAndValue::new(None, map(vec![])));
        assert_eq!(
            parse("[[1],[2,3]]").schema,
            Some(
                SchemaBuilder::array(array_schema(SchemaType::Int8).unwrap())
                    .build()
                    .unwrap()
            )
        );
    }

    #[test]
    fn maps_infer_key_and_value_schemas() {
        assert_eq!(
            parse("{\"foo\":\"123\",\"bar\":\"baz\"}"),
            SchemaAndValue::new(
                map_schema(SchemaType::String, SchemaType::String),
                map(vec![(s("foo"), s("123")), (s("bar"), s("baz"))])
            )
        );
        let shorts = SchemaAndValue::new(
            map_schema(SchemaType::String, SchemaType::Int16),
            map(vec![
                (s("foo"), Value::Int16(12345)),
                (s("bar"), Value::Int16(0)),
                (s("baz"), Value::Int16(-4321)),
            ]),
        );
        assert_eq!(parse("{\"foo\":12345,\"bar\":0,\"baz\":-4321}"), shorts);
        assert_eq!(
            parse(" { \"foo\" :  12345 , \"bar\" : 0,  \"baz\" : -4321 }  "),
            shorts
        );
        let ints = SchemaAndValue::new(
            map_schema(SchemaType::String, SchemaType::Int32),
            map(vec![
                (s("foo"), Value::Int32(1_234_567_890)),
                (s("bar"), Value::Int32(0)),
                (s("baz"), Value::Int32(-987_654_321)),
            ]),
        );
        assert_eq!(
            parse("{\"foo\":1234567890,\"bar\":0,\"baz\":-987654321}"),
            ints
        );
        assert_eq!(
            parse("{true: false, false: true}"),
            SchemaAndValue::new(
                map_schema(SchemaType::Boolean, SchemaType::Boolean),
                map(vec![
                    (Value::Boolean(true), Value::Boolean(false)),
                    (Value::Boolean(false), Value::Boolean(true)),
                ])
            )
        );
    }

    #[test]
    fn maps_without_common_types_keep_their_entries() {
        let multiple_keys = map(vec![
            (Value::Int8(1), Value::Int8(1)),
            (Value::Int8(2), Value::Int8(1)),
            (Value::Int16(300), Value::Int16(300)),
            (s("four"), Value::Int8(1)),
        ]);
        for text in [
            "{1:1, 2:1, 300:300, \"four\":1}",
            "{2:1, 300:300, \"four\":1, 1:1}",
            "{300:300, \"four\":1, 1:1, 2:1}",
            "{\"four\":1, 1:1, 2:1, 300:300}",
        ] {
            let parsed = parse_inferred(text).unwrap();
            assert_eq!(parsed.schema, Inferred::Map(None, None), "{text}");
            assert_eq!(parsed.value, multiple_keys, "{text}");
        }
        let multiple_values = map(vec![
            (Value::Int16(1), Value::Int8(1)),
            (Value::Int16(2), Value::Int8(1)),
            (Value::Int16(300), Value::Int16(300)),
            (Value::Int16(4), s("four")),
        ]);
        for text in [
            "{1:1, 2:1, 300:300, 4:\"four\"}",
            "{2:1, 300:300, 4:\"four\", 1:1}",
            "{300:300, 4:\"four\", 1:1, 2:1}",
            "{4:\"four\", 1:1, 2:1, 300:300}",
        ] {
            let parsed = parse_inferred(text).unwrap();
            assert_eq!(
                parsed.schema,
                Inferred::Map(Some(Box::new(Inferred::Primitive(SchemaType::Int16))), None),
                "{text}"
            );
            assert_eq!(parsed.value, multiple_values, "{text}");
        }
        let nulls = parse_inferred("{3: null}").unwrap();
        assert_eq!(
            nulls.schema,
            Inferred::Map(Some(Box::new(Inferred::Primitive(SchemaType::Int8))), None)
        );
        assert_eq!(nulls.value, map(vec![(Value::Int8(3), Value::Null)]));
    }

    #[test]
    fn repeated_map_keys_keep_first_position_and_last_value() {
        assert_eq!(
            parse("{\"a\":1,\"b\":2,\"a\":3}").value,
            map(vec![(s("a"), Value::Int8(3)), (s("b"), Value::Int8(2))])
        );
        // Keys that only collide once widened behave the same way.
        let widened = parse("{1:\"x\", 1.0000000001:\"y\"}");
        assert_eq!(widened.value, map(vec![(Value::Float32(1.0), s("y"))]));
    }

    #[test]
    fn quoted_strings_keep_escapes_and_lose_blank_content() {
        assert_eq!(parse("[\"a\\\"b\"]").value, Value::Array(vec![s("a\\\"b")]));
        assert_eq!(parse("[\"   \"]").value, Value::Array(vec![s("")]));
        assert_eq!(parse("[\"1.0\"]").value, Value::Array(vec![s("1.0")]));
        assert_eq!(
            parse("[\"2019-08-23\"]").value,
            Value::Array(vec![Value::Timestamp(1_566_518_400_000)])
        );
    }

    #[test]
    fn logical_and_numeric_elements_merge_by_physical_type() {
        // A Date is an INT32, so an INT8 next to it is read as days since the epoch.
        let parsed = parse("[2019-08-23, 5]");
        assert_eq!(
            parsed.schema,
            Some(
                SchemaBuilder::array(date_schema().build().unwrap())
                    .build()
                    .unwrap()
            )
        );
        assert_eq!(
            parsed.value,
            Value::Array(vec![
                Value::Timestamp(1_566_518_400_000),
                Value::Timestamp(5 * MILLIS_PER_DAY)
            ])
        );
        // A float cannot hold a date, so the whole text is a string.
        assert_string("[1.5, 2019-08-23]");
    }

    #[test]
    fn round_trips_keep_schema_and_value() {
        let cases = [
            SchemaAndValue::new(
                map_schema(SchemaType::String, SchemaType::String),
                map(vec![(s("foo"), s("123")), (s("bar"), s("baz"))]),
            ),
            SchemaAndValue::new(
                array_schema(SchemaType::Int32),
                Value::Array(vec![
                    Value::Int32(1_234_567_890),
                    Value::Int32(-987_654_321),
                ]),
            ),
            SchemaAndValue::new(
                array_schema(SchemaType::String),
                Value::Array(vec![s("foo"), s("bar")]),
            ),
            SchemaAndValue::new(
                Schema::primitive(SchemaType::Boolean, false),
                Value::Boolean(false),
            ),
            SchemaAndValue::new(string_schema(), s("null string")),
            SchemaAndValue::new(
                Schema::primitive(SchemaType::Float64, false),
                Value::Float64(f64::MAX),
            ),
            SchemaAndValue::new(
                logical(timestamp_schema()),
                Value::Timestamp(1_566_570_894_346),
            ),
        ];
        for case in cases {
            let text = convert_to_string(case.schema.as_ref(), &case.value).unwrap();
            assert_eq!(parse(&text), case, "{text}");
        }
    }

    #[test]
    fn nesting_beyond_the_limit_is_an_error_not_a_crash() {
        let deep = format!(
            "{}{}",
            "[".repeat(MAX_NESTING_DEPTH),
            "]".repeat(MAX_NESTING_DEPTH)
        );
        assert!(matches!(parse(&deep).value, Value::Array(_)));
        let too_deep = format!("[{deep}]");
        assert_eq!(
            parse_string(&too_deep),
            Err(ParseError::NestingTooDeep {
                max: MAX_NESTING_DEPTH
            })
        );
        // An unbalanced run of brackets fails the same way instead of overflowing the stack.
        assert!(parse_string(&"[".repeat(100_000)).is_err());
    }
}
