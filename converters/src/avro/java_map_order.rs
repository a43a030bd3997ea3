//! The order in which a `java.util.HashMap` with string keys iterates.
//!
//! Confluent's AvroData copies a Connect map with string keys into a fresh `HashMap` before
//! Avro writes it, so the entries of an Avro `map` appear on the wire in HashMap order, not
//! in the order the connector built them. Writing the same bytes as a JVM worker means
//! reproducing that order: entries sorted by bucket (`String.hashCode()` spread as HashMap
//! does, masked by the table size the map grew to), ties kept in insertion order.

/// Java's `String.hashCode()` (over UTF-16 code units, wrapping).
fn java_string_hash(text: &str) -> i32 {
    let mut hash: i32 = 0;
    for unit in text.encode_utf16() {
        hash = hash.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    hash
}

/// `HashMap.hash()`: the high bits folded into the low ones.
fn spread(hash: i32) -> u32 {
    let h = hash as u32;
    h ^ (h >> 16)
}

/// Table size of a `new HashMap<>()` after `len` distinct puts (16, doubling beyond a
/// 0.75 load factor).
fn table_size(len: usize) -> usize {
    let mut size = 16usize;
    while len > size / 4 * 3 {
        size *= 2;
    }
    size
}

/// Indexes into `keys` in HashMap iteration order. A key that repeats keeps the position
/// of its first occurrence and the value of its last, as `put` does; the returned index
/// is that of the last occurrence.
pub fn hash_map_order(keys: &[&str]) -> Vec<usize> {
    let mut distinct: Vec<(usize, usize)> = Vec::with_capacity(keys.len()); // (first, last)
    for (i, key) in keys.iter().enumerate() {
        match distinct.iter_mut().find(|(first, _)| keys[*first] == *key) {
            Some(entry) => entry.1 = i,
            None => distinct.push((i, i)),
        }
    }
    let mask = table_size(distinct.len()) as u32 - 1;
    distinct.sort_by_key(|(first, _)| spread(java_string_hash(keys[*first])) & mask);
    distinct.into_iter().map(|(_, last)| last).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_like_java() {
        assert_eq!(java_string_hash(""), 0);
        assert_eq!(java_string_hash("a"), 97);
        assert_eq!(java_string_hash("hello"), 99_162_322);
        assert_eq!(java_string_hash("polygenelubricants"), i32::MIN);
        // A character outside the BMP counts as two UTF-16 units.
        assert_eq!(java_string_hash("\u{1F600}"), 0xD83D * 31 + 0xDE00);
    }

    #[test]
    fn iterates_like_a_java_hash_map() {
        // "a" and "b" land in buckets 1 and 2: hash order wins over insertion order.
        // "color" and "size" share bucket 4: insertion order decides.
        assert_eq!(hash_map_order(&["color", "size"]), vec![0, 1]);
        assert_eq!(hash_map_order(&["size", "color"]), vec![0, 1]);
        assert_eq!(hash_map_order(&["hello", "a"]), vec![1, 0]);
        assert_eq!(hash_map_order(&["b", "a"]), vec![1, 0]);
        assert_eq!(hash_map_order(&["a", "b", "a"]), vec![2, 1]);
        assert_eq!(table_size(12), 16);
        assert_eq!(table_size(13), 32);
    }
}
