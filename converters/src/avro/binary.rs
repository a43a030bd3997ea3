//! The Avro binary encoding of single values: zig-zag varints, IEEE floats in little endian,
//! length-prefixed bytes and strings, and a cursor that reads them back with the checks Avro
//! Java makes (a varint longer than its type allows, a negative length or a read past the
//! end is malformed input).

/// Appends an `int` or `long` (zig-zag, then base-128 varint).
#[inline]
pub fn write_long(out: &mut Vec<u8>, value: i64) {
    let mut n = ((value << 1) ^ (value >> 63)) as u64;
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Appends a `float`.
#[inline]
pub fn write_float(out: &mut Vec<u8>, value: f32) {
    out.extend_from_slice(&value.to_bits().to_le_bytes());
}

/// Appends a `double`.
#[inline]
pub fn write_double(out: &mut Vec<u8>, value: f64) {
    out.extend_from_slice(&value.to_bits().to_le_bytes());
}

/// Appends `bytes` or a `string`: the length, then the data.
#[inline]
pub fn write_bytes(out: &mut Vec<u8>, data: &[u8]) {
    write_long(out, data.len() as i64);
    out.extend_from_slice(data);
}

/// Why bytes could not be read as Avro: the payload does not match its writer schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed(pub String);

/// Reads Avro binary values from a payload.
#[derive(Debug)]
pub struct Cursor<'a> {
    data: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data, pos: 0 }
    }

    /// Everything not read yet (Confluent reads a top-level `bytes` value this way).
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = &self.data[self.pos..];
        self.pos = self.data.len();
        rest
    }

    fn eof() -> Malformed {
        Malformed("unexpected end of Avro data".to_string())
    }

    /// Reads a `long`.
    #[inline]
    pub fn long(&mut self) -> Result<i64, Malformed> {
        let mut value: u64 = 0;
        let mut shift = 0;
        loop {
            let byte = *self.data.get(self.pos).ok_or_else(Self::eof)?;
            self.pos += 1;
            value |= u64::from(byte & 0x7F) << shift;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return Err(Malformed("Invalid long encoding".to_string()));
            }
        }
        Ok(((value >> 1) as i64) ^ -((value & 1) as i64))
    }

    /// Reads an `int`.
    #[inline]
    pub fn int(&mut self) -> Result<i32, Malformed> {
        let start = self.pos;
        let value = self.long()?;
        if self.pos - start > 5 || i32::try_from(value).is_err() {
            return Err(Malformed("Invalid int encoding".to_string()));
        }
        Ok(value as i32)
    }

    /// Reads a `boolean` (any non-zero byte is true, as in Avro Java).
    #[inline]
    pub fn boolean(&mut self) -> Result<bool, Malformed> {
        let byte = *self.data.get(self.pos).ok_or_else(Self::eof)?;
        self.pos += 1;
        Ok(byte != 0)
    }

    /// Reads `n` raw bytes.
    #[inline]
    pub fn fixed(&mut self, n: usize) -> Result<&'a [u8], Malformed> {
        let end = self.pos.checked_add(n).ok_or_else(Self::eof)?;
        let slice = self.data.get(self.pos..end).ok_or_else(Self::eof)?;
        self.pos = end;
        Ok(slice)
    }

    /// Reads a `float`.
    #[inline]
    pub fn float(&mut self) -> Result<f32, Malformed> {
        let bytes = self.fixed(4)?;
        Ok(f32::from_bits(u32::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3],
        ])))
    }

    /// Reads a `double`.
    #[inline]
    pub fn double(&mut self) -> Result<f64, Malformed> {
        let bytes = self.fixed(8)?;
        let mut array = [0u8; 8];
        array.copy_from_slice(bytes);
        Ok(f64::from_bits(u64::from_le_bytes(array)))
    }

    /// Reads `bytes` (length-prefixed).
    #[inline]
    pub fn bytes(&mut self) -> Result<&'a [u8], Malformed> {
        let len = self.long()?;
        let len = usize::try_from(len)
            .map_err(|_| Malformed(format!("Malformed data. Length is negative: {len}")))?;
        self.fixed(len)
    }

    /// Reads a `string`; invalid UTF-8 is replaced as Java's decoder does.
    #[inline]
    pub fn string(&mut self) -> Result<String, Malformed> {
        let bytes = self.bytes()?;
        Ok(match std::str::from_utf8(bytes) {
            Ok(text) => text.to_string(),
            Err(_) => String::from_utf8_lossy(bytes).into_owned(),
        })
    }

    /// Reads the item count of the next array or map block; 0 ends the collection. A
    /// negative count is followed by the block's size in bytes, which is not needed.
    #[inline]
    pub fn block_count(&mut self) -> Result<usize, Malformed> {
        let count = self.long()?;
        let count = if count < 0 {
            self.long()?;
            count
                .checked_neg()
                .ok_or_else(|| Malformed("Invalid block count".to_string()))?
        } else {
            count
        };
        // Every item takes at least one byte, except nulls; bound what is preallocated.
        usize::try_from(count).map_err(|_| Malformed("Invalid block count".to_string()))
    }

    /// How many bytes remain, to bound preallocations by what the payload can hold.
    pub fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_at_the_edges() {
        for value in [
            0,
            -1,
            1,
            63,
            -64,
            64,
            i64::from(i32::MAX),
            i64::MIN,
            i64::MAX,
        ] {
            let mut out = Vec::new();
            write_long(&mut out, value);
            assert_eq!(Cursor::new(&out).long(), Ok(value), "{value}");
        }
        let mut out = Vec::new();
        write_long(&mut out, i64::MAX);
        assert_eq!(
            out,
            [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]
        );
        assert!(Cursor::new(&out).int().is_err(), "a long is not an int");
    }

    #[test]
    fn truncated_and_negative_lengths_are_malformed() {
        assert!(Cursor::new(&[0x08]).bytes().is_err());
        assert!(Cursor::new(&[0x01]).bytes().is_err());
        assert!(Cursor::new(&[0x80]).long().is_err());
        assert!(Cursor::new(&[0, 0, 0]).double().is_err());
    }
}
