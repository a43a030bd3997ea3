//! A JSON document model that reads numbers and objects the way Kafka Connect's Jackson
//! setup does.
//!
//! Kafka Connect's JsonConverter parses with Jackson configured for exact decimals: integers
//! become int, long or big-integer nodes by size, numbers with a fraction or exponent keep
//! their exact decimal text (`2.0` stays distinct from `2`, `1E2` is not integral), duplicate
//! object keys keep their first position and last value, `.5` is accepted, and anything after
//! the first top-level value is ignored. Reproducing those choices is what makes deserialized
//! records identical; serde_json's model would lose them. Strings borrow from the input when
//! they have no escapes, so parsing allocates little.

use std::borrow::Cow;
use std::fmt;

use base64::Engine;
use connect_core::BigDecimal;
use num_bigint::BigInt;

/// Deepest nesting accepted (Jackson's default `maxNestingDepth`); deeper input is rejected
/// instead of exhausting the stack.
pub const MAX_DEPTH: usize = 1000;

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq)]
pub enum JsonNode<'a> {
    /// No value at all: the document was empty (Jackson's `MissingNode`).
    Missing,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal that fits in 32 bits.
    Int(i32),
    /// An integer literal that fits in 64 bits but not 32.
    Long(i64),
    /// An integer literal too large for 64 bits, as its literal text.
    BigInt(&'a str),
    /// A number with a fraction or exponent, as its exact literal text.
    Decimal(&'a str),
    /// A string.
    String(Cow<'a, str>),
    /// An array.
    Array(Vec<JsonNode<'a>>),
    /// An object: keys unique, in first-seen order.
    Object(Vec<(Cow<'a, str>, JsonNode<'a>)>),
}

/// Jackson's node type names, used in Kafka Connect's error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NodeType {
    /// Missing node.
    Missing,
    /// Null.
    Null,
    /// Boolean.
    Boolean,
    /// Any number.
    Number,
    /// String.
    String,
    /// Array.
    Array,
    /// Object.
    Object,
}

impl fmt::Display for NodeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NodeType::Missing => "MISSING",
            NodeType::Null => "NULL",
            NodeType::Boolean => "BOOLEAN",
            NodeType::Number => "NUMBER",
            NodeType::String => "STRING",
            NodeType::Array => "ARRAY",
            NodeType::Object => "OBJECT",
        })
    }
}

/// Why a document could not be parsed, with the byte offset.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message} at byte {offset}")]
pub struct ParseError {
    /// What was wrong, in Jackson's words where practical.
    pub message: String,
    /// Byte offset into the input.
    pub offset: usize,
}

/// Why a string could not be read as base64.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Cannot access contents of TextNode as binary due to broken Base64 encoding: {0}")]
pub struct Base64Error(String);

static BASE64_LENIENT: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_allow_trailing_bits(true)
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::RequireCanonical),
);

/// Decodes base64 as Jackson's default variant does: standard alphabet, padding required,
/// whitespace ignored.
pub fn decode_base64(text: &str) -> Result<Vec<u8>, Base64Error> {
    let result = if text.bytes().any(|b| b <= b' ') {
        let compact: String = text.chars().filter(|c| *c > ' ').collect();
        BASE64_LENIENT.decode(compact)
    } else {
        BASE64_LENIENT.decode(text)
    };
    result.map_err(|e| {
        Base64Error(match e {
            base64::DecodeError::InvalidByte(_, byte) => format!(
                "Illegal character '{}' (code 0x{byte:x}) in base64 content",
                byte as char
            ),
            base64::DecodeError::InvalidPadding | base64::DecodeError::InvalidLength(_) => {
                "Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end".to_string()
            }
            other => other.to_string(),
        })
    })
}

impl<'a> JsonNode<'a> {
    /// The Jackson node type.
    pub fn node_type(&self) -> NodeType {
        match self {
            JsonNode::Missing => NodeType::Missing,
            JsonNode::Null => NodeType::Null,
            JsonNode::Bool(_) => NodeType::Boolean,
            JsonNode::Int(_) | JsonNode::Long(_) | JsonNode::BigInt(_) | JsonNode::Decimal(_) => {
                NodeType::Number
            }
            JsonNode::String(_) => NodeType::String,
            JsonNode::Array(_) => NodeType::Array,
            JsonNode::Object(_) => NodeType::Object,
        }
    }

    /// Null or missing.
    pub fn is_null_or_missing(&self) -> bool {
        matches!(self, JsonNode::Null | JsonNode::Missing)
    }

    /// An integer literal of any size (Jackson's `isIntegralNumber`).
    pub fn is_integral(&self) -> bool {
        matches!(
            self,
            JsonNode::Int(_) | JsonNode::Long(_) | JsonNode::BigInt(_)
        )
    }

    /// An integer literal that fits in 32 bits (Jackson's `isInt`).
    pub fn is_int(&self) -> bool {
        matches!(self, JsonNode::Int(_))
    }

    /// Any number.
    pub fn is_number(&self) -> bool {
        self.node_type() == NodeType::Number
    }

    /// A member of an object.
    pub fn get(&self, key: &str) -> Option<&JsonNode<'a>> {
        match self {
            JsonNode::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string node (Jackson's `textValue`: `None` for anything else).
    pub fn text(&self) -> Option<&str> {
        match self {
            JsonNode::String(s) => Some(s),
            _ => None,
        }
    }

    /// Jackson's `booleanValue()`: the boolean, or false for any other node.
    pub fn boolean_value(&self) -> bool {
        matches!(self, JsonNode::Bool(true))
    }

    /// Jackson's `longValue()`: numbers narrowed Java-style (fractions truncated, big values
    /// keep their low 64 bits), 0 for non-numbers.
    pub fn long_value(&self) -> i64 {
        match self {
            JsonNode::Int(v) => *v as i64,
            JsonNode::Long(v) => *v,
            JsonNode::BigInt(text) | JsonNode::Decimal(text) => text
                .parse::<BigDecimal>()
                .map(|d| d.to_i64_wrapping())
                .unwrap_or(0),
            _ => 0,
        }
    }

    /// Jackson's `intValue()`: like [`JsonNode::long_value`], keeping the low 32 bits.
    pub fn int_value(&self) -> i32 {
        match self {
            JsonNode::Int(v) => *v,
            _ => self.long_value() as i32,
        }
    }

    /// Jackson's `doubleValue()`: the nearest double, 0.0 for non-numbers.
    pub fn double_value(&self) -> f64 {
        match self {
            JsonNode::Int(v) => *v as f64,
            JsonNode::Long(v) => *v as f64,
            JsonNode::BigInt(text) | JsonNode::Decimal(text) => {
                // BigDecimal has no negative zero: "-0.0" reads as 0.0, as in Kafka Connect.
                if is_zero_literal(text) {
                    return 0.0;
                }
                text.parse::<f64>().unwrap_or_else(|_| {
                    text.parse::<BigDecimal>()
                        .map(|d| d.to_f64())
                        .unwrap_or(0.0)
                })
            }
            _ => 0.0,
        }
    }

    /// Jackson's `floatValue()`: the nearest float, 0.0 for non-numbers.
    pub fn float_value(&self) -> f32 {
        match self {
            JsonNode::Int(v) => *v as f32,
            JsonNode::Long(v) => *v as f32,
            JsonNode::BigInt(text) | JsonNode::Decimal(text) => {
                if is_zero_literal(text) {
                    return 0.0;
                }
                text.parse::<f32>().unwrap_or_else(|_| {
                    text.parse::<BigDecimal>()
                        .map(|d| d.to_f32())
                        .unwrap_or(0.0)
                })
            }
            _ => 0.0,
        }
    }

    /// Jackson's `decimalValue()` for numbers (exact, scale kept); `None` for non-numbers.
    pub fn decimal_value(&self) -> Option<BigDecimal> {
        match self {
            JsonNode::Int(v) => Some(BigDecimal::new(*v, 0)),
            JsonNode::Long(v) => Some(BigDecimal::new(*v, 0)),
            JsonNode::BigInt(text) => {
                BigInt::parse_bytes(text.as_bytes(), 10).map(|n| BigDecimal::new(n, 0))
            }
            JsonNode::Decimal(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// Jackson's `binaryValue()`: base64-decoded text for strings, `None` for other nodes.
    pub fn binary_value(&self) -> Option<Result<Vec<u8>, Base64Error>> {
        match self {
            JsonNode::String(s) => Some(decode_base64(s)),
            _ => None,
        }
    }

    /// Number of elements or members (0 for scalars).
    pub fn size(&self) -> usize {
        match self {
            JsonNode::Array(items) => items.len(),
            JsonNode::Object(members) => members.len(),
            _ => 0,
        }
    }

    /// The elements of an array or the member values of an object; nothing for scalars
    /// (Jackson iterates nodes the same way).
    pub fn elements(&self) -> Box<dyn Iterator<Item = &JsonNode<'a>> + '_> {
        match self {
            JsonNode::Array(items) => Box::new(items.iter()),
            JsonNode::Object(members) => Box::new(members.iter().map(|(_, v)| v)),
            _ => Box::new(std::iter::empty()),
        }
    }
}

/// Whether a number literal is exactly zero (every mantissa digit is 0).
fn is_zero_literal(text: &str) -> bool {
    text.bytes()
        .take_while(|b| !matches!(b, b'e' | b'E'))
        .all(|b| matches!(b, b'0' | b'-' | b'+' | b'.'))
}

/// The top-level members of a document that is an object, each with the byte range of its
/// value text, so a caller can cache work on a sub-document by its exact text.
pub struct Envelope<'a> {
    /// Members in first-seen order, keys unique (the last value of a repeated key wins).
    /// The tree is `None` for members the caller asked to skip: their text was checked for
    /// syntax but not turned into nodes.
    pub members: Vec<(Cow<'a, str>, Option<JsonNode<'a>>, std::ops::Range<usize>)>,
}

/// Parses the first JSON value of `input` (an empty or blank input gives
/// [`JsonNode::Missing`]); anything after the value is ignored, as Jackson's `readTree` does.
pub fn parse(input: &[u8]) -> Result<JsonNode<'_>, ParseError> {
    let mut parser = Parser::new(input)?;
    parser.skip_ws();
    if parser.pos >= parser.bytes.len() {
        return Ok(JsonNode::Missing);
    }
    let node = parser.value(0)?;
    parser.after_root(&node)?;
    Ok(node)
}

/// Parses a document and, when it is an object, reports each member's value span; members
/// named `skip` are syntax-checked only, so a caller that usually finds their meaning in a
/// cache (keyed by the span's text) does not pay for building their tree.
/// Returns `Ok(Err(node))` when the document is not an object.
pub fn parse_envelope<'a>(
    input: &'a [u8],
    skip: &str,
) -> Result<Result<Envelope<'a>, JsonNode<'a>>, ParseError> {
    let mut parser = Parser::new(input)?;
    parser.skip_ws();
    if parser.peek() != Some(b'{') {
        if parser.pos >= parser.bytes.len() {
            return Ok(Err(JsonNode::Missing));
        }
        let node = parser.value(0)?;
        parser.after_root(&node)?;
        return Ok(Err(node));
    }
    parser.pos += 1;
    let mut members: Vec<(Cow<'_, str>, Option<JsonNode<'_>>, std::ops::Range<usize>)> = Vec::new();
    parser.members(
        0,
        |p, key, depth| {
            if key == skip {
                p.skip_value(depth).map(|()| None)
            } else {
                p.value(depth).map(Some)
            }
        },
        |key, value, span| match members.iter_mut().find(|(k, _, _)| *k == key) {
            Some(slot) => {
                slot.1 = value;
                slot.2 = span;
            }
            None => members.push((key, value, span)),
        },
    )?;
    Ok(Ok(Envelope { members }))
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8]) -> Result<Self, ParseError> {
        // Validate UTF-8 once up front: then every slice on an ASCII boundary is a valid str.
        let text = std::str::from_utf8(input).map_err(|e| {
            let at = e.valid_up_to();
            let byte = input.get(at).copied().unwrap_or(0);
            let message = if (0x80..0xC0).contains(&byte) || byte >= 0xF8 {
                format!("Invalid UTF-8 start byte 0x{byte:x}")
            } else {
                format!("Invalid UTF-8 middle byte after 0x{byte:x}")
            };
            ParseError {
                message,
                offset: at,
            }
        })?;
        Ok(Self {
            text,
            bytes: input,
            pos: 0,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = self.peek();
        if b.is_some() {
            self.pos += 1;
        }
        b
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError {
            message: message.into(),
            offset: self.pos,
        }
    }

    fn unexpected(&self, found: Option<u8>, expecting: &str) -> ParseError {
        match found {
            None => self.error(format!("Unexpected end-of-input: {expecting}")),
            Some(b) => {
                let shown = self
                    .text
                    .get(self.pos.saturating_sub(1)..)
                    .and_then(|rest| rest.chars().next())
                    .unwrap_or(b as char);
                self.error(format!(
                    "Unexpected character ('{shown}' (code {})): {expecting}",
                    shown as u32
                ))
            }
        }
    }

    /// After a top-level value: a number must be followed by whitespace or the end (Jackson
    /// reports "Expected space separating root-level values"); anything else is ignored.
    fn after_root(&mut self, node: &JsonNode<'_>) -> Result<(), ParseError> {
        if node.is_number() {
            match self.peek() {
                None | Some(b' ' | b'\t' | b'\n' | b'\r') => {}
                Some(b) => {
                    self.pos += 1;
                    return Err(
                        self.unexpected(Some(b), "Expected space separating root-level values")
                    );
                }
            }
        }
        Ok(())
    }

    /// Rejects nesting deeper than [`MAX_DEPTH`] before it can exhaust the stack.
    fn check_depth(&self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error(format!(
                "Document nesting depth ({depth}) exceeds the maximum allowed ({MAX_DEPTH})"
            )));
        }
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Result<JsonNode<'a>, ParseError> {
        self.check_depth(depth)?;
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                self.object(depth)
            }
            Some(b'[') => {
                self.pos += 1;
                self.array(depth)
            }
            Some(b'"') => {
                self.pos += 1;
                Ok(JsonNode::String(self.string()?))
            }
            Some(b't') => self.literal("true", JsonNode::Bool(true)),
            Some(b'f') => self.literal("false", JsonNode::Bool(false)),
            Some(b'n') => self.literal("null", JsonNode::Null),
            Some(b'-' | b'0'..=b'9' | b'.') => self.number(),
            other => {
                self.pos += usize::from(other.is_some());
                Err(self.unexpected(
                    other,
                    "expected JSON String, Number, Array, Object or token 'null', 'true' or 'false'",
                ))
            }
        }
    }

    fn literal(&mut self, word: &str, node: JsonNode<'a>) -> Result<JsonNode<'a>, ParseError> {
        let end = self.pos + word.len();
        // A literal must match exactly and not run into more identifier characters (`nullx`).
        let runs_on = self
            .bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_');
        if self.bytes[self.pos..].starts_with(word.as_bytes()) && !runs_on {
            self.pos = end;
            return Ok(node);
        }
        let token: String = self.text[self.pos..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        Err(self.error(format!(
            "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        )))
    }

    fn number(&mut self) -> Result<JsonNode<'a>, ParseError> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
        let int_digits = self.pos - int_start;
        if int_digits > 1 && self.bytes[int_start] == b'0' {
            return Err(self.error("Invalid numeric value: Leading zeroes not allowed"));
        }
        let mut integral = true;
        if self.peek() == Some(b'.') {
            integral = false;
            self.pos += 1;
            let frac_start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == frac_start {
                return Err(
                    self.error("Unexpected character: Decimal point not followed by a digit")
                );
            }
        } else if int_digits == 0 {
            let found = self.peek();
            self.pos += usize::from(found.is_some());
            return Err(self.unexpected(
                found,
                "expected digit (0-9) to follow minus sign, for valid numeric value",
            ));
        }
        if let Some(b'e' | b'E') = self.peek() {
            integral = false;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            let exp_start = self.pos;
            while let Some(b'0'..=b'9') = self.peek() {
                self.pos += 1;
            }
            if self.pos == exp_start {
                return Err(
                    self.error("Unexpected character: Exponent indicator not followed by a digit")
                );
            }
        }
        let literal = &self.text[start..self.pos];
        if !integral {
            return Ok(JsonNode::Decimal(literal));
        }
        if let Ok(v) = literal.parse::<i32>() {
            Ok(JsonNode::Int(v))
        } else if let Ok(v) = literal.parse::<i64>() {
            Ok(JsonNode::Long(v))
        } else {
            Ok(JsonNode::BigInt(literal))
        }
    }

    fn key(&mut self) -> Result<Cow<'a, str>, ParseError> {
        match self.next_byte() {
            Some(b'"') => self.string(),
            other => Err(self.unexpected(other, "was expecting double-quote to start field name")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonNode<'a>, ParseError> {
        let mut members: Vec<(Cow<'a, str>, JsonNode<'a>)> = Vec::new();
        self.members(
            depth,
            |p, _, depth| p.value(depth),
            |key, value, _| match members.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => members.push((key, value)),
            },
        )?;
        Ok(JsonNode::Object(members))
    }

    fn array(&mut self, depth: usize) -> Result<JsonNode<'a>, ParseError> {
        let mut items = Vec::new();
        self.elements(depth, |p, depth| p.value(depth), |item| items.push(item))?;
        Ok(JsonNode::Array(items))
    }

    /// Checks the syntax of one value without building nodes (strings without escapes and
    /// numbers never allocate).
    fn skip_value(&mut self, depth: usize) -> Result<(), ParseError> {
        self.check_depth(depth)?;
        match self.peek() {
            Some(b'{') => {
                self.pos += 1;
                self.members(depth, |p, _, depth| p.skip_value(depth), |_, (), _| {})
            }
            Some(b'[') => {
                self.pos += 1;
                self.elements(depth, |p, depth| p.skip_value(depth), |()| {})
            }
            _ => self.value(depth).map(drop),
        }
    }

    /// Reads the members of an object after its `{`, through the closing `}`: each value is
    /// read by `read_value` (given the key and depth), then handed with its key and span to
    /// `on_member`, in order, duplicates included.
    fn members<V>(
        &mut self,
        depth: usize,
        mut read_value: impl FnMut(&mut Self, &str, usize) -> Result<V, ParseError>,
        mut on_member: impl FnMut(Cow<'a, str>, V, std::ops::Range<usize>),
    ) -> Result<(), ParseError> {
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            let key = self.key()?;
            self.skip_ws();
            match self.next_byte() {
                Some(b':') => {}
                other => {
                    return Err(self.unexpected(
                        other,
                        "was expecting a colon to separate field name and value",
                    ));
                }
            }
            self.skip_ws();
            let start = self.pos;
            let value = read_value(self, &key, depth + 1)?;
            on_member(key, value, start..self.pos);
            self.skip_ws();
            match self.next_byte() {
                Some(b',') => continue,
                Some(b'}') => return Ok(()),
                None => {
                    return Err(self.error("Unexpected end-of-input within/between Object entries"));
                }
                other => {
                    return Err(
                        self.unexpected(other, "was expecting comma to separate Object entries")
                    );
                }
            }
        }
    }

    /// Reads the elements of an array after its `[`, through the closing `]`.
    fn elements<V>(
        &mut self,
        depth: usize,
        mut read_value: impl FnMut(&mut Self, usize) -> Result<V, ParseError>,
        mut on_element: impl FnMut(V),
    ) -> Result<(), ParseError> {
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(());
        }
        loop {
            self.skip_ws();
            on_element(read_value(self, depth + 1)?);
            self.skip_ws();
            match self.next_byte() {
                Some(b',') => continue,
                Some(b']') => return Ok(()),
                None => {
                    return Err(
                        self.error("Unexpected end-of-input: expected close marker for Array")
                    );
                }
                other => {
                    return Err(
                        self.unexpected(other, "was expecting comma to separate Array entries")
                    );
                }
            }
        }
    }

    /// Reads a string body after its opening quote.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        let start = self.pos;
        // Fast path: no escapes.
        loop {
            match self.peek() {
                None => {
                    return Err(self.error(
                        "Unexpected end-of-input: was expecting closing quote for a string value",
                    ));
                }
                Some(b'"') => {
                    let s = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(Cow::Borrowed(s));
                }
                Some(b'\\') => break,
                Some(b) if b < 0x20 => return Err(self.control_char(b)),
                Some(_) => self.pos += 1,
            }
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(&self.text[start..self.pos]);
        loop {
            match self.next_byte() {
                None => {
                    return Err(self.error(
                        "Unexpected end-of-input: was expecting closing quote for a string value",
                    ));
                }
                Some(b'"') => return Ok(Cow::Owned(out)),
                Some(b'\\') => self.escape(&mut out)?,
                Some(b) if b < 0x20 => {
                    self.pos -= 1;
                    return Err(self.control_char(b));
                }
                Some(_) => {
                    // Copy the run of plain characters up to the next quote or backslash.
                    let run_start = self.pos - 1;
                    while let Some(b) = self.peek() {
                        if b == b'"' || b == b'\\' || b < 0x20 {
                            break;
                        }
                        self.pos += 1;
                    }
                    out.push_str(&self.text[run_start..self.pos]);
                }
            }
        }
    }

    fn control_char(&self, b: u8) -> ParseError {
        self.error(format!(
            "Illegal unquoted character ((CTRL-CHAR, code {b})): has to be escaped using backslash to be included in string value"
        ))
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("Unexpected end-of-input in character escape sequence"))?;
        let text = std::str::from_utf8(digits)
            .map_err(|_| self.error("Unexpected character in character escape sequence"))?;
        let value = u32::from_str_radix(text, 16).map_err(|_| {
            self.error(format!(
                "Unexpected character ('{}'): expected a hex-digit for character escape sequence",
                text.chars().find(|c| !c.is_ascii_hexdigit()).unwrap_or('?')
            ))
        })?;
        self.pos += 4;
        Ok(value)
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        match self.next_byte() {
            Some(b'"') => out.push('"'),
            Some(b'\\') => out.push('\\'),
            Some(b'/') => out.push('/'),
            Some(b'b') => out.push('\u{8}'),
            Some(b'f') => out.push('\u{c}'),
            Some(b'n') => out.push('\n'),
            Some(b'r') => out.push('\r'),
            Some(b't') => out.push('\t'),
            Some(b'u') => {
                let first = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&first)
                    && self.bytes.get(self.pos..self.pos + 2) == Some(b"\\u")
                {
                    let save = self.pos;
                    self.pos += 2;
                    let second = self.hex4()?;
                    if (0xDC00..0xE000).contains(&second) {
                        0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                    } else {
                        // Not a pair: keep the second escape for the next round.
                        self.pos = save;
                        first
                    }
                } else {
                    first
                };
                // Lone surrogates cannot live in a Rust string; they become U+FFFD.
                out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            Some(b) => {
                return Err(self.error(format!(
                    "Unrecognized character escape '{}' (code {b})",
                    b as char
                )));
            }
            None => return Err(self.error("Unexpected end-of-input in character escape sequence")),
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> JsonNode<'_> {
        parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn numbers_are_classified_like_jackson() {
        assert_eq!(p("42"), JsonNode::Int(42));
        assert_eq!(p("3000000000"), JsonNode::Long(3_000_000_000));
        assert_eq!(
            p("123456789012345678901234567890"),
            JsonNode::BigInt("123456789012345678901234567890")
        );
        assert_eq!(p("2.0"), JsonNode::Decimal("2.0"));
        assert_eq!(p("1E2"), JsonNode::Decimal("1E2"));
        assert_eq!(p(".5"), JsonNode::Decimal(".5"));
        assert!(!p("1E2").is_integral());
        assert_eq!(p("1E2").int_value(), 100);
        assert_eq!(p("-7.99").long_value(), -7);
        assert_eq!(p("3000000000").int_value(), -1_294_967_296);
        assert_eq!(p("-0.0").double_value().to_bits(), 0.0f64.to_bits());
        assert_eq!(p("-1.5").double_value(), -1.5);
    }

    #[test]
    fn rejects_what_jackson_rejects() {
        for bad in [
            "01",
            "1.",
            "-",
            "[1,]",
            "{\"a\" 1}",
            "{not json}",
            "\"a\u{1}\"",
            "nul",
            "+1",
            "[1 2]",
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad:?} should fail");
        }
        let err = parse(b"{\"schema\":").unwrap_err();
        assert!(err.message.contains("Unexpected end-of-input"), "{err}");
        let err = parse(&[b'"', 0xFF, b'"']).unwrap_err();
        assert_eq!(err.message, "Invalid UTF-8 start byte 0xff");
    }

    #[test]
    fn ignores_trailing_content_after_the_first_value() {
        assert_eq!(p("{} trailing"), JsonNode::Object(vec![]));
        assert_eq!(p("1 2"), JsonNode::Int(1));
        assert!(parse(b"1x").is_err());
        assert_eq!(p("   "), JsonNode::Missing);
    }

    #[test]
    fn duplicate_keys_keep_first_position_and_last_value() {
        let node = p(r#"{"a":1,"b":2,"a":3}"#);
        assert_eq!(node.size(), 2);
        assert_eq!(node.get("a"), Some(&JsonNode::Int(3)));
    }

    #[test]
    fn strings_unescape_and_borrow_when_plain() {
        assert!(matches!(
            p(r#""plain""#),
            JsonNode::String(Cow::Borrowed("plain"))
        ));
        assert_eq!(
            p(r#""a\u00e9\n\ud83d\ude00""#),
            JsonNode::String("a\u{e9}\n\u{1F600}".into())
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(MAX_DEPTH + 5);
        assert!(
            parse(deep.as_bytes())
                .unwrap_err()
                .message
                .contains("nesting depth")
        );
    }

    #[test]
    fn envelope_reports_member_spans() {
        let input = br#"{"schema":{"type":"int32"},"payload":5}"#;
        let env = parse_envelope(input, "schema").unwrap().ok().unwrap();
        let (_, tree, span) = &env.members[0];
        assert_eq!(&input[span.clone()], br#"{"type":"int32"}"#);
        assert!(tree.is_none(), "skipped members have no tree");
        assert_eq!(env.members[1].1, Some(JsonNode::Int(5)));
        // Skipping still checks syntax.
        assert!(parse_envelope(br#"{"schema":{"type":},"payload":5}"#, "schema").is_err());
        assert!(parse_envelope(br#"{"schema":[1,,2],"payload":5}"#, "schema").is_err());
    }

    #[test]
    fn base64_follows_jackson_default_variant() {
        assert_eq!(decode_base64("AQID/w==").unwrap(), vec![1, 2, 3, 255]);
        assert!(decode_base64("AQ").is_err());
        let err = decode_base64("!!notbase64").unwrap_err();
        assert!(
            err.to_string()
                .contains("Illegal character '!' (code 0x21)"),
            "{err}"
        );
    }
}
