//! `SimpleHeaderConverter`: header values as text, byte-compatible with Kafka's
//! `org.apache.kafka.connect.storage.SimpleHeaderConverter` (Kafka Connect's default
//! `header.converter`).
//!
//! Writing prints the value with [`values::convert_to_string`] and encodes it as UTF-8; no
//! schema travels with it. Reading decodes UTF-8 exactly as the JVM does (malformed bytes
//! become U+FFFD, one per malformed sequence as Java counts them) and infers a schema with
//! [`values::parse_string`], so `42` comes back as INT8, `2019-08-23` as a Date and
//! `{"a":1}` as a map. Only when parsing aborts (nesting too deep, where Kafka's JVM overflows
//! its stack) does a header come back as the raw BYTES, as Kafka does for any error. The
//! converter has no settings.

use connect_core::config::{ConfigDef, Properties};
use connect_core::{HeaderConverter, Result, Schema, SchemaAndValue, SchemaType, Value};

use crate::values;

/// Kafka Connect's default header converter: headers as text, types inferred on read.
#[derive(Clone, Copy, Debug, Default)]
pub struct SimpleHeaderConverter;

impl SimpleHeaderConverter {
    /// The settings the converter accepts: none, as in Kafka.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }

    /// A converter from Kafka Connect settings (the `header.converter.` prefix removed). Any
    /// setting is accepted and ignored, as Kafka does.
    pub fn new(props: &Properties) -> Result<Self> {
        Self::config_def().parse(props)?;
        Ok(Self)
    }
}

impl HeaderConverter for SimpleHeaderConverter {
    fn from_connect_header(
        &self,
        _topic: &str,
        _header_key: &str,
        schema: Option<&Schema>,
        value: &Value,
    ) -> Result<Option<Vec<u8>>> {
        Ok(values::convert_to_string(schema, value).map(String::into_bytes))
    }

    fn to_connect_header(
        &self,
        topic: &str,
        header_key: &str,
        data: Option<&[u8]>,
    ) -> Result<SchemaAndValue> {
        let Some(data) = data else {
            return Ok(SchemaAndValue::NULL);
        };
        let text = decode_utf8_like_java(data);
        match values::parse_string(&text) {
            Ok(parsed) => Ok(parsed),
            Err(error) => {
                tracing::warn!(
                    topic,
                    header = header_key,
                    %error,
                    "Failed to deserialize header value, so using byte array."
                );
                Ok(SchemaAndValue::new(
                    Schema::primitive(SchemaType::Bytes, false),
                    Value::Bytes(data.to_vec()),
                ))
            }
        }
    }
}

const REPLACEMENT: char = '\u{FFFD}';

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Decodes UTF-8 as Java's `new String(bytes, StandardCharsets.UTF_8)` (JDK 17): valid input
/// as is, and each malformed sequence replaced by U+FFFD the way the JDK delimits it. That
/// differs from Rust's lossy decoding in places (an encoded surrogate such as `ED A0 80` is
/// one U+FFFD in Java, three in Rust), and header text must match the JVM's to the character.
pub fn decode_utf8_like_java(bytes: &[u8]) -> String {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return text.to_owned();
    }
    let at = |i: usize| bytes.get(i).copied().unwrap_or(0);
    let len = bytes.len();
    let mut out = String::with_capacity(len + 8);
    let mut sp = 0usize;
    while sp < len {
        let b1 = at(sp);
        sp += 1;
        match b1 {
            0x00..=0x7F => out.push(char::from(b1)),
            0xC2..=0xDF => {
                if sp < len {
                    let b2 = at(sp);
                    if is_continuation(b2) {
                        sp += 1;
                        let c = (u32::from(b1 & 0x1F) << 6) | u32::from(b2 & 0x3F);
                        out.push(char::from_u32(c).unwrap_or(REPLACEMENT));
                    } else {
                        out.push(REPLACEMENT);
                    }
                    continue;
                }
                out.push(REPLACEMENT);
                break;
            }
            0xE0..=0xEF => {
                if sp + 1 < len {
                    let (b2, b3) = (at(sp), at(sp + 1));
                    let overlong = b1 == 0xE0 && b2 & 0xE0 == 0x80;
                    if overlong || !is_continuation(b2) || !is_continuation(b3) {
                        out.push(REPLACEMENT);
                        // Java skips the lead byte, and the second too when it was a valid
                        // continuation of a non-overlong lead.
                        if !overlong && is_continuation(b2) {
                            sp += 1;
                        }
                    } else {
                        sp += 2;
                        let c = (u32::from(b1 & 0x0F) << 12)
                            | (u32::from(b2 & 0x3F) << 6)
                            | u32::from(b3 & 0x3F);
                        // Encoded surrogates are one malformed sequence of three bytes.
                        out.push(char::from_u32(c).unwrap_or(REPLACEMENT));
                    }
                    continue;
                }
                let b2 = at(sp);
                if sp < len && ((b1 == 0xE0 && b2 & 0xE0 == 0x80) || !is_continuation(b2)) {
                    out.push(REPLACEMENT);
                    continue;
                }
                out.push(REPLACEMENT);
                break;
            }
            0xF0..=0xF7 => {
                let second_ok = |b2: u8| {
                    !(b1 > 0xF4
                        || (b1 == 0xF0 && !(0x90..=0xBF).contains(&b2))
                        || (b1 == 0xF4 && b2 & 0xF0 != 0x80)
                        || !is_continuation(b2))
                };
                if sp + 2 < len {
                    let (b2, b3, b4) = (at(sp), at(sp + 1), at(sp + 2));
                    let c = (u32::from(b1 & 0x07) << 18)
                        | (u32::from(b2 & 0x3F) << 12)
                        | (u32::from(b3 & 0x3F) << 6)
                        | u32::from(b4 & 0x3F);
                    let malformed = !is_continuation(b2)
                        || !is_continuation(b3)
                        || !is_continuation(b4)
                        || !(0x1_0000..=0x10_FFFF).contains(&c);
                    if malformed {
                        out.push(REPLACEMENT);
                        // Java skips the lead byte, then the valid prefix of the sequence.
                        if second_ok(b2) {
                            sp += if is_continuation(b3) { 2 } else { 1 };
                        }
                    } else {
                        sp += 3;
                        out.push(char::from_u32(c).unwrap_or(REPLACEMENT));
                    }
                    continue;
                }
                if b1 > 0xF4 || (sp < len && !second_ok(at(sp))) {
                    out.push(REPLACEMENT);
                    continue;
                }
                sp += 1;
                out.push(REPLACEMENT);
                if sp < len && !is_continuation(at(sp)) {
                    continue;
                }
                break;
            }
            _ => out.push(REPLACEMENT),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;
    use connect_core::logical::{date_schema, decimal_schema, time_schema, timestamp_schema};

    const TOPIC: &str = "topic";
    const HEADER: &str = "header";

    fn converter() -> SimpleHeaderConverter {
        SimpleHeaderConverter::new(&Properties::new()).unwrap()
    }

    fn primitive(kind: SchemaType) -> Option<Schema> {
        Schema::primitive(kind, false)
    }

    fn s(text: &str) -> Value {
        Value::String(text.to_string())
    }

    fn write(schema: Option<&Schema>, value: &Value) -> Option<Vec<u8>> {
        converter()
            .from_connect_header(TOPIC, HEADER, schema, value)
            .unwrap()
    }

    fn read(bytes: Option<&[u8]>) -> SchemaAndValue {
        converter().to_connect_header(TOPIC, HEADER, bytes).unwrap()
    }

    fn round_trip(schema: Option<Schema>, value: Value) -> SchemaAndValue {
        let bytes = write(schema.as_ref(), &value);
        read(bytes.as_deref())
    }

    /// Kafka's `assertRoundTrip`: the value and schema survive, twice, with identical bytes.
    fn assert_round_trip(schema: Option<Schema>, value: Value) {
        let serialized = write(schema.as_ref(), &value);
        let result = read(serialized.as_deref());
        if value.is_null() {
            assert_eq!(serialized, None);
            assert_eq!(result, SchemaAndValue::NULL);
            return;
        }
        assert!(serialized.is_some());
        assert_eq!(result, SchemaAndValue::new(schema.clone(), value.clone()));
        let serialized2 = write(result.schema.as_ref(), &result.value);
        assert_eq!(serialized2, serialized);
        assert_eq!(read(serialized2.as_deref()), result);
    }

    fn string_map() -> Value {
        Value::Map(vec![(s("foo"), s("123")), (s("bar"), s("baz"))])
    }

    fn map_schema(key: SchemaType, value: SchemaType) -> Option<Schema> {
        SchemaBuilder::map(primitive(key).unwrap(), primitive(value).unwrap())
            .build()
            .ok()
    }

    fn array_schema(element: SchemaType) -> Option<Schema> {
        SchemaBuilder::array(primitive(element).unwrap())
            .build()
            .ok()
    }

    #[test]
    fn has_no_settings_and_ignores_unknown_ones() {
        assert!(SimpleHeaderConverter::config_def().keys().is_empty());
        let mut props = Properties::new();
        props.insert("anything".to_string(), "at all".to_string());
        assert!(SimpleHeaderConverter::new(&props).is_ok());
    }

    #[test]
    fn null_values_write_no_bytes_and_read_back_as_null() {
        assert_round_trip(primitive(SchemaType::String), Value::Null);
        assert_round_trip(Schema::primitive(SchemaType::String, true), Value::Null);
        assert_eq!(read(None), SchemaAndValue::NULL);
    }

    #[test]
    fn strings_round_trip() {
        assert_round_trip(primitive(SchemaType::String), s("simple"));
        assert_round_trip(primitive(SchemaType::String), s(""));
        assert_round_trip(primitive(SchemaType::String), s("three\"blind\\\"mice"));
        assert_round_trip(
            primitive(SchemaType::String),
            s("string with delimiters: <>?,./\\=+-!@#$%^&*(){}[]|;':"),
        );
        assert_round_trip(primitive(SchemaType::String), s("null string"));
        assert_eq!(write(None, &s("héllo")).unwrap(), "héllo".as_bytes());
    }

    #[test]
    fn maps_round_trip_with_inferred_schemas() {
        assert_round_trip(
            map_schema(SchemaType::String, SchemaType::String),
            string_map(),
        );
        assert_round_trip(
            map_schema(SchemaType::String, SchemaType::Int16),
            Value::Map(vec![
                (s("foo"), Value::Int16(12345)),
                (s("bar"), Value::Int16(0)),
                (s("baz"), Value::Int16(-4321)),
            ]),
        );
        assert_round_trip(
            map_schema(SchemaType::String, SchemaType::Int32),
            Value::Map(vec![
                (s("foo"), Value::Int32(1_234_567_890)),
                (s("bar"), Value::Int32(0)),
                (s("baz"), Value::Int32(-987_654_321)),
            ]),
        );
    }

    #[test]
    fn map_text_written_by_others_parses_as_maps() {
        let expected = SchemaAndValue::new(
            map_schema(SchemaType::String, SchemaType::String),
            string_map(),
        );
        let from_text = |text: &str| round_trip(primitive(SchemaType::String), s(text));
        assert_eq!(from_text("{\"foo\":\"123\",\"bar\":\"baz\"}"), expected);
        assert_eq!(
            from_text("{ \"foo\" : \"123\", \n\"bar\" : \"baz\" } "),
            expected
        );
        assert_eq!(
            from_text(" { \"foo\" :  12345 , \"bar\" : 0,  \"baz\" : -4321 }  ").schema,
            map_schema(SchemaType::String, SchemaType::Int16)
        );
    }

    #[test]
    fn lists_round_trip_with_inferred_schemas() {
        assert_round_trip(
            array_schema(SchemaType::String),
            Value::Array(vec![s("foo"), s("bar")]),
        );
        assert_round_trip(
            array_schema(SchemaType::Int32),
            Value::Array(vec![
                Value::Int32(1_234_567_890),
                Value::Int32(-987_654_321),
            ]),
        );
        assert_eq!(
            read(Some(b"[1,2,3]")),
            SchemaAndValue::new(
                array_schema(SchemaType::Int8),
                Value::Array(vec![Value::Int8(1), Value::Int8(2), Value::Int8(3)])
            )
        );
    }

    #[test]
    fn mixed_and_empty_containers_keep_their_values_without_schema() {
        let mixed_map = Value::Map(vec![(s("foo"), s("bar")), (s("baz"), Value::Int16(3456))]);
        assert_eq!(
            round_trip(None, mixed_map.clone()),
            SchemaAndValue::new(None, mixed_map)
        );
        let mixed_list = Value::Array(vec![s("foo"), Value::Int16(13344)]);
        assert_eq!(
            round_trip(None, mixed_list.clone()),
            SchemaAndValue::new(None, mixed_list)
        );
        assert_eq!(
            round_trip(None, Value::Map(vec![])),
            SchemaAndValue::new(None, Value::Map(vec![]))
        );
        assert_eq!(
            round_trip(None, Value::Array(vec![])),
            SchemaAndValue::new(None, Value::Array(vec![]))
        );
    }

    #[test]
    fn primitives_come_back_as_the_narrowest_type() {
        let cases = [
            ("true", primitive(SchemaType::Boolean), Value::Boolean(true)),
            ("42", primitive(SchemaType::Int8), Value::Int8(42)),
            ("300", primitive(SchemaType::Int16), Value::Int16(300)),
            ("70000", primitive(SchemaType::Int32), Value::Int32(70000)),
            (
                "5000000000",
                primitive(SchemaType::Int64),
                Value::Int64(5_000_000_000),
            ),
            ("1.5", primitive(SchemaType::Float32), Value::Float32(1.5)),
            (
                "1.0E300",
                primitive(SchemaType::Float64),
                Value::Float64(1e300),
            ),
        ];
        for (text, schema, value) in cases {
            assert_eq!(
                read(Some(text.as_bytes())),
                SchemaAndValue::new(schema, value),
                "{text}"
            );
        }
        // A value written with a wider schema reads back as the narrowest fitting one.
        assert_eq!(
            round_trip(primitive(SchemaType::Int64), Value::Int64(7)),
            SchemaAndValue::new(primitive(SchemaType::Int8), Value::Int8(7))
        );
        assert_eq!(
            round_trip(primitive(SchemaType::Float64), Value::Float64(2.0)),
            SchemaAndValue::new(primitive(SchemaType::Int8), Value::Int8(2))
        );
    }

    #[test]
    fn logical_values_round_trip() {
        assert_round_trip(
            timestamp_schema().build().ok(),
            Value::Timestamp(1_566_570_894_346),
        );
        assert_round_trip(
            date_schema().build().ok(),
            Value::Timestamp(1_566_518_400_000),
        );
        assert_round_trip(time_schema().build().ok(), Value::Timestamp(52_494_346));
        let big: connect_core::BigDecimal = "123456789012345678901234567890".parse().unwrap();
        assert_round_trip(decimal_schema(0).build().ok(), Value::Decimal(big));
        assert_eq!(
            write(
                decimal_schema(2).build().ok().as_ref(),
                &Value::Decimal("10.50".parse().unwrap())
            ),
            Some(b"10.50".to_vec())
        );
        // A timestamp at midnight prints as a date and so reads back as one, as in Kafka.
        assert_eq!(
            round_trip(
                timestamp_schema().build().ok(),
                Value::Timestamp(1_566_518_400_000)
            )
            .schema,
            date_schema().build().ok()
        );
    }

    #[test]
    fn bytes_are_written_as_base64_text() {
        assert_eq!(
            round_trip(
                primitive(SchemaType::Bytes),
                Value::Bytes(b"hello".to_vec())
            ),
            SchemaAndValue::new(primitive(SchemaType::String), s("aGVsbG8="))
        );
    }

    #[test]
    fn invalid_utf8_is_replaced_like_the_jvm_not_kept_as_bytes() {
        // Java's `new String(bytes, UTF_8)` never fails, so Kafka parses the replaced text.
        assert_eq!(
            read(Some(&[b'a', 0xFF, b'b'])),
            SchemaAndValue::new(primitive(SchemaType::String), s("a\u{FFFD}b"))
        );
        assert_eq!(read(Some(&[b'4', 0xC3])).value, s("4\u{FFFD}"));
    }

    #[test]
    fn malformed_utf8_is_delimited_as_jdk17_does() {
        // Expected strings come from JDK 17's `new String(bytes, StandardCharsets.UTF_8)`.
        let r = '\u{FFFD}';
        let cases: &[(&[u8], String)] = &[
            (&[0xED, 0xA0, 0x80, b'a'], format!("{r}a")),
            (&[0xE0, 0x80, 0x80], format!("{r}{r}{r}")),
            (&[0xF0, 0x90, 0x80], format!("{r}")),
            (&[0xC0, b'a'], format!("{r}a")),
            (&[0xF5, 0x80, 0x80, 0x80], format!("{r}{r}{r}{r}")),
            (&[0xE1, 0x80, b'A'], format!("{r}A")),
            (&[0xF4, 0x90, 0x80, 0x80], format!("{r}{r}{r}{r}")),
            (&[0xF0, 0x80, 0x80, 0x80], format!("{r}{r}{r}{r}")),
            (&[b'a', 0xFF, b'b'], format!("a{r}b")),
            (&[0xF0, 0x9F, 0x98, 0x80], "😀".to_string()),
        ];
        for (bytes, expected) in cases {
            assert_eq!(&decode_utf8_like_java(bytes), expected, "{bytes:02X?}");
        }
    }

    #[test]
    fn header_too_deeply_nested_falls_back_to_raw_bytes() {
        let deep = "[".repeat(values::MAX_NESTING_DEPTH + 1);
        assert_eq!(
            read(Some(deep.as_bytes())),
            SchemaAndValue::new(
                primitive(SchemaType::Bytes),
                Value::Bytes(deep.into_bytes())
            )
        );
    }

    #[test]
    fn header_key_and_topic_do_not_change_the_result() {
        let c = converter();
        let a = c.to_connect_header("a", "x", Some(b"42")).unwrap();
        let b = c.to_connect_header("b", "y", Some(b"42")).unwrap();
        assert_eq!(a, b);
    }
}
