//! Java `HashMap<String, Object>` semantics on schemaless map values.
//!
//! Kafka's SMTs treat a schemaless value as a string-keyed `HashMap`: `put` replaces the entry
//! with an equal key, `get` of a missing key is null, and keys of other types never match a
//! field name. A [`Value::Map`] keeps entries in a vector (order survives round trips), so
//! these helpers give it the map semantics the SMTs rely on.

use connect_core::Value;

/// The value under the string key `key`, if present (Java `map.get(key)`, with a missing
/// entry and a null value both meaning null to the caller).
pub fn get<'a>(entries: &'a [(Value, Value)], key: &str) -> Option<&'a Value> {
    entries
        .iter()
        .find(|(k, _)| k.as_str() == Some(key))
        .map(|(_, v)| v)
}

/// The value under `key`, or null when absent: what Java's `map.get(key)` returns.
pub fn get_or_null(entries: &[(Value, Value)], key: &str) -> Value {
    get(entries, key).cloned().unwrap_or(Value::Null)
}

/// Sets `key` to `value`, replacing an existing entry in place or appending a new one.
pub fn put(entries: &mut Vec<(Value, Value)>, key: &str, value: Value) {
    match entries.iter_mut().find(|(k, _)| k.as_str() == Some(key)) {
        Some(entry) => entry.1 = value,
        None => entries.push((Value::String(key.to_string()), value)),
    }
}

/// Removes the entry under `key`, returning its value.
pub fn remove(entries: &mut Vec<(Value, Value)>, key: &str) -> Option<Value> {
    let position = entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
    Some(entries.remove(position).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_replaces_and_appends_like_a_hash_map() {
        let mut entries = vec![(Value::from("a"), Value::Int32(1))];
        put(&mut entries, "a", Value::Int32(2));
        put(&mut entries, "b", Value::Int32(3));
        assert_eq!(entries.len(), 2);
        assert_eq!(get(&entries, "a"), Some(&Value::Int32(2)));
        assert_eq!(get_or_null(&entries, "zz"), Value::Null);
        assert_eq!(remove(&mut entries, "a"), Some(Value::Int32(2)));
        assert_eq!(remove(&mut entries, "a"), None);
    }

    #[test]
    fn keys_of_other_types_never_match_a_field_name() {
        let entries = vec![(Value::Int32(1), Value::from("x"))];
        assert_eq!(get(&entries, "1"), None);
    }
}
