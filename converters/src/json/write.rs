//! Writing JSON text byte-compatible with Kafka Connect's Jackson output.
//!
//! Jackson escapes `"`, `\` and control characters (short forms for `\b \t \n \f \r`,
//! `\u00XX` with upper-case hex otherwise), writes other BMP characters as raw UTF-8, and
//! writes characters outside the BMP as escaped surrogate pairs (`\uD83D\uDE00`). Floats use
//! the JVM's formatting and NaN/Infinity are written as strings. Consumers that compare bytes
//! see no difference after a migration.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use connect_core::java_format::FloatBuffer;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Whether a byte forces the slow path of [`write_string`].
#[inline]
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\' || b >= 0xF0
}

/// Appends `text` as a quoted, escaped JSON string.
pub fn write_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&b| needs_escape(b)) {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    }
    let mut run_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if !needs_escape(b) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[run_start..i]);
        if b >= 0xF0 {
            // A four-byte UTF-8 sequence: a code point outside the BMP.
            let ch = text[i..].chars().next().unwrap_or('\u{FFFD}');
            let mut units = [0u16; 2];
            for unit in ch.encode_utf16(&mut units) {
                push_unicode_escape(out, *unit);
            }
            i += ch.len_utf8();
        } else {
            match b {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x09 => out.extend_from_slice(b"\\t"),
                0x0A => out.extend_from_slice(b"\\n"),
                0x0C => out.extend_from_slice(b"\\f"),
                0x0D => out.extend_from_slice(b"\\r"),
                _ => push_unicode_escape(out, b as u16),
            }
            i += 1;
        }
        run_start = i;
    }
    out.extend_from_slice(&bytes[run_start..]);
    out.push(b'"');
}

fn push_unicode_escape(out: &mut Vec<u8>, unit: u16) {
    out.extend_from_slice(b"\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((unit >> shift) & 0xF) as usize]);
    }
}

/// Appends a double as Jackson writes it: JVM digits, NaN and infinities as quoted strings.
pub fn write_f64(out: &mut Vec<u8>, value: f64) {
    let mut buffer = FloatBuffer::new();
    push_number_or_quoted(out, buffer.format_f64(value), value.is_finite());
}

/// Appends a float as Jackson writes it.
pub fn write_f32(out: &mut Vec<u8>, value: f32) {
    let mut buffer = FloatBuffer::new();
    push_number_or_quoted(out, buffer.format_f32(value), value.is_finite());
}

fn push_number_or_quoted(out: &mut Vec<u8>, text: &str, finite: bool) {
    if finite {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// Appends an integer.
pub fn write_int(out: &mut Vec<u8>, value: impl itoa::Integer) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(value).as_bytes());
}

/// Appends bytes as a quoted base64 string (standard alphabet, padded).
pub fn write_base64(out: &mut Vec<u8>, data: &[u8]) {
    out.push(b'"');
    let start = out.len();
    out.resize(
        start + base64::encoded_len(data.len(), true).unwrap_or(0),
        0,
    );
    let written = BASE64.encode_slice(data, &mut out[start..]).unwrap_or(0);
    out.truncate(start + written);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> String {
        let mut out = Vec::new();
        write_string(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_like_jackson() {
        assert_eq!(s("plain"), "\"plain\"");
        assert_eq!(s("a\"b\\c/d'e"), r#""a\"b\\c/d'e""#);
        assert_eq!(
            s("\u{0}\u{1}\u{1f}\t\n\r\u{8}\u{c}\u{7f}"),
            "\"\\u0000\\u0001\\u001F\\t\\n\\r\\b\\f\u{7f}\""
        );
        assert_eq!(
            s("smile \u{1F600} \u{1D11E}"),
            r#""smile \uD83D\uDE00 \uD834\uDD1E""#
        );
        assert_eq!(s("h\u{e9}llo \u{2028}"), "\"h\u{e9}llo \u{2028}\"");
    }

    #[test]
    fn floats_and_bytes() {
        let mut out = Vec::new();
        write_f64(&mut out, f64::NAN);
        out.push(b',');
        write_f32(&mut out, 1e10);
        out.push(b',');
        write_base64(&mut out, &[0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "\"NaN\",1.0E10,\"AAECf4D+/w==\""
        );
    }
}
