//! Java's `Character.digit(ch, 10)`: the decimal digits the JVM's number parsers accept,
//! which include the Unicode digit sets (`١٢` is 12 to `Integer.parseInt`), not just ASCII.
//!
//! Cast and the `SimpleDateFormat` parser both read numbers this way, so a record that
//! Kafka Connect accepts is accepted here too.

/// The zero of every run of ten decimal digits in the Basic Multilingual Plane (the JVM's
/// parsers look at UTF-16 code units, so digits beyond it never count).
const ZEROS: [u32; 37] = [
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10,
];

/// The value of a decimal digit character, as `Character.digit(ch, 10)`.
pub fn digit(c: char) -> Option<u32> {
    let code = u32::from(c);
    if c.is_ascii_digit() {
        return Some(code - 0x30);
    }
    let index = ZEROS.partition_point(|zero| *zero <= code).checked_sub(1)?;
    let value = code - ZEROS[index];
    (value < 10).then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ascii_and_unicode_digits() {
        assert_eq!(digit('7'), Some(7));
        assert_eq!(digit('\u{0661}'), Some(1)); // ARABIC-INDIC DIGIT ONE
        assert_eq!(digit('\u{FF19}'), Some(9)); // FULLWIDTH DIGIT NINE
        assert_eq!(digit('a'), None);
        assert_eq!(digit('\u{066A}'), None); // ARABIC PERCENT SIGN, just past the digits
        assert_eq!(digit('\u{1D7CE}'), None); // MATHEMATICAL BOLD DIGIT ZERO: not in the BMP
    }
}
