//! `StringConverter`: values as text (Kafka's `org.apache.kafka.connect.storage.StringConverter`).
//!
//! Writing uses the value's Java `toString()` form (numbers as the JVM prints them, structs
//! as `Struct{...}`), reading always yields an optional STRING. The character set is Kafka's
//! `converter.encoding` setting; the charsets Kafka users actually configure are supported
//! with Java's replacement rules (`?` for characters the charset cannot encode, U+FFFD for
//! undecodable bytes), so text round-trips exactly as it does on the JVM.

use connect_core::config::{ConfigDef, ConfigKey, ConfigType, ConfigValue, Importance, Properties};
use connect_core::{
    ConnectError, Result, Schema, SchemaAndValue, SchemaType, SyncConverter, Value,
};

/// `converter.encoding`: the character set of the text on the topic.
pub const ENCODING_CONFIG: &str = "converter.encoding";

/// A character set supported by [`StringConverter`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8 (the default).
    Utf8,
    /// UTF-16 with a byte-order mark: written big-endian with `FE FF`, read by the mark.
    Utf16,
    /// UTF-16 big-endian, no mark.
    Utf16Be,
    /// UTF-16 little-endian, no mark.
    Utf16Le,
    /// ISO-8859-1 (Latin-1): one byte per character up to U+00FF.
    Latin1,
    /// US-ASCII: seven bits.
    Ascii,
}

impl Charset {
    /// Looks a charset up by a Java name or common alias, ignoring case.
    pub fn from_name(name: &str) -> Option<Charset> {
        let normalized = name.trim().to_ascii_lowercase().replace('_', "-");
        Some(match normalized.as_str() {
            "utf-8" | "utf8" | "unicode-1-1-utf-8" => Charset::Utf8,
            "utf-16" | "utf16" | "unicode" => Charset::Utf16,
            "utf-16be" | "utf16be" | "x-utf-16be" | "unicodebigunmarked" | "iso-10646-ucs-2" => {
                Charset::Utf16Be
            }
            "utf-16le" | "utf16le" | "x-utf-16le" | "unicodelittleunmarked" => Charset::Utf16Le,
            "iso-8859-1" | "iso8859-1" | "8859-1" | "latin1" | "l1" | "iso-latin-1" | "cp819"
            | "ibm819" | "iso-8859-1:1987" | "csisolatin1" | "819" => Charset::Latin1,
            "us-ascii" | "ascii" | "ascii7" | "646" | "iso646-us" | "us" | "cp367" | "ibm367"
            | "default" => Charset::Ascii,
            _ => return None,
        })
    }

    /// Encodes text; characters the charset cannot hold become `?`, as in Java.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Charset::Utf8 => text.as_bytes().to_vec(),
            Charset::Utf16 => {
                let mut out = vec![0xFE, 0xFF];
                text.encode_utf16()
                    .for_each(|u| out.extend_from_slice(&u.to_be_bytes()));
                out
            }
            Charset::Utf16Be => text.encode_utf16().flat_map(u16::to_be_bytes).collect(),
            Charset::Utf16Le => text.encode_utf16().flat_map(u16::to_le_bytes).collect(),
            Charset::Latin1 => text
                .chars()
                .map(|c| u8::try_from(c as u32).unwrap_or(b'?'))
                .collect(),
            Charset::Ascii => text
                .chars()
                .map(|c| if c.is_ascii() { c as u8 } else { b'?' })
                .collect(),
        }
    }

    /// Decodes bytes; malformed input becomes U+FFFD, as in Java.
    pub fn decode(self, data: &[u8]) -> String {
        match self {
            Charset::Utf8 => String::from_utf8_lossy(data).into_owned(),
            Charset::Utf16 => match data {
                [0xFE, 0xFF, rest @ ..] => decode_utf16(rest, u16::from_be_bytes),
                [0xFF, 0xFE, rest @ ..] => decode_utf16(rest, u16::from_le_bytes),
                _ => decode_utf16(data, u16::from_be_bytes),
            },
            Charset::Utf16Be => decode_utf16(data, u16::from_be_bytes),
            Charset::Utf16Le => decode_utf16(data, u16::from_le_bytes),
            Charset::Latin1 => data.iter().map(|&b| b as char).collect(),
            Charset::Ascii => data
                .iter()
                .map(|&b| if b.is_ascii() { b as char } else { '\u{FFFD}' })
                .collect(),
        }
    }
}

fn decode_utf16(data: &[u8], unit: fn([u8; 2]) -> u16) -> String {
    let units = data.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    let mut text: String = char::decode_utf16(units)
        .map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER))
        .collect();
    if data.len() % 2 == 1 {
        text.push(char::REPLACEMENT_CHARACTER);
    }
    text
}

/// Converts values to and from text in one character set.
#[derive(Debug, Clone)]
pub struct StringConverter {
    charset: Charset,
}

impl StringConverter {
    /// The settings: only the character set.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(
                ENCODING_CONFIG,
                ConfigType::String,
                Importance::High,
                "Character set of the text on the topic: UTF-8, UTF-16, UTF-16BE, UTF-16LE, ISO-8859-1 or US-ASCII (Java names and aliases accepted).",
            )
            .with_default(ConfigValue::String("UTF-8".to_string()))
            .in_group("Converter", 0)
            .with_display_name("Character encoding"),
        )
    }

    /// A converter from Kafka Connect settings (the `key.converter.`-style prefix removed).
    pub fn new(props: &Properties) -> Result<Self> {
        let config = Self::config_def().parse(props)?;
        let name = config.string(ENCODING_CONFIG).unwrap_or("UTF-8");
        let charset = Charset::from_name(name).ok_or_else(|| {
            ConnectError::invalid_config_value(
                ENCODING_CONFIG,
                name,
                format!("Unsupported encoding {name}"),
            )
        })?;
        Ok(Self { charset })
    }
}

impl SyncConverter for StringConverter {
    /// The value's Java `toString()` in the configured charset; null stays null. The schema
    /// is not needed: text carries none.
    fn serialize(&self, _schema: Option<&Schema>, value: &Value) -> Result<Option<Vec<u8>>> {
        Ok(match value {
            Value::Null => None,
            Value::String(text) => Some(self.charset.encode(text)),
            other => Some(self.charset.encode(&other.to_java_string())),
        })
    }

    /// The text as an optional STRING value.
    fn deserialize(&self, data: Option<&[u8]>) -> Result<SchemaAndValue> {
        Ok(SchemaAndValue::new(
            Schema::primitive(SchemaType::String, true),
            data.map_or(Value::Null, |d| Value::String(self.charset.decode(d))),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converter(encoding: Option<&str>) -> Result<StringConverter> {
        let mut props = Properties::new();
        if let Some(e) = encoding {
            props.insert(ENCODING_CONFIG.to_string(), e.to_string());
        }
        StringConverter::new(&props)
    }

    #[test]
    fn writes_java_to_string_of_any_value() {
        let c = converter(None).unwrap();
        assert_eq!(
            c.serialize(None, &Value::String("héllo".into())).unwrap(),
            Some("héllo".as_bytes().to_vec())
        );
        assert_eq!(
            c.serialize(None, &Value::Int64(42)).unwrap(),
            Some(b"42".to_vec())
        );
        assert_eq!(
            c.serialize(None, &Value::Float64(1e10)).unwrap(),
            Some(b"1.0E10".to_vec())
        );
        assert_eq!(
            c.serialize(None, &Value::Boolean(true)).unwrap(),
            Some(b"true".to_vec())
        );
        assert_eq!(c.serialize(None, &Value::Null).unwrap(), None);
    }

    #[test]
    fn reads_optional_strings() {
        let c = converter(None).unwrap();
        let read = c.deserialize(Some(b"abc")).unwrap();
        assert_eq!(read.value, Value::String("abc".into()));
        assert!(read.schema.unwrap().is_optional());
        assert_eq!(c.deserialize(None).unwrap().value, Value::Null);
    }

    #[test]
    fn honours_the_configured_charset() {
        let c = converter(Some("UTF-16")).unwrap();
        let bytes = c
            .serialize(None, &Value::String("hé".into()))
            .unwrap()
            .unwrap();
        assert_eq!(bytes, vec![0xFE, 0xFF, 0x00, b'h', 0x00, 0xE9]);
        assert_eq!(
            c.deserialize(Some(&bytes)).unwrap().value,
            Value::String("hé".into())
        );
        let le = converter(Some("utf-16le")).unwrap();
        assert_eq!(
            le.serialize(None, &Value::String("h".into())).unwrap(),
            Some(vec![b'h', 0])
        );
        let latin1 = converter(Some("ISO-8859-1")).unwrap();
        assert_eq!(
            latin1.serialize(None, &Value::String("é€".into())).unwrap(),
            Some(vec![0xE9, b'?'])
        );
        assert_eq!(
            latin1.deserialize(Some(&[0xE9])).unwrap().value,
            Value::String("é".into())
        );
        let ascii = converter(Some("US-ASCII")).unwrap();
        assert_eq!(
            ascii.deserialize(Some(&[b'a', 0xFF])).unwrap().value,
            Value::String("a\u{FFFD}".into())
        );
    }

    #[test]
    fn unknown_charset_is_a_config_error_naming_the_key() {
        let err = converter(Some("EBCDIC-42")).unwrap_err();
        assert_eq!(
            err.message(),
            "Invalid value EBCDIC-42 for configuration converter.encoding: Unsupported encoding EBCDIC-42"
        );
    }

    #[test]
    fn malformed_utf8_is_replaced_not_rejected() {
        let c = converter(None).unwrap();
        assert_eq!(
            c.deserialize(Some(&[b'a', 0xFF])).unwrap().value,
            Value::String("a\u{FFFD}".into())
        );
    }
}
