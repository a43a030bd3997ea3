//! Record headers with Connect schemas.
//!
//! Kafka headers are ordered and may repeat a key. Connect attaches a schema and typed value
//! to each; header converters turn them into bytes only at the Kafka boundary, so transforms
//! such as InsertHeader or HeaderFrom work on typed data.

use crate::schema::Schema;
use crate::value::Value;

/// One header: a key and a Connect value with its optional schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Header {
    /// The header key (not unique within a record).
    pub key: String,
    /// The schema of the value, if known.
    pub schema: Option<Schema>,
    /// The value.
    pub value: Value,
}

impl Header {
    /// A header from its parts.
    pub fn new(key: impl Into<String>, schema: Option<Schema>, value: Value) -> Self {
        Self {
            key: key.into(),
            schema,
            value,
        }
    }
}

/// The ordered headers of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Headers(Vec<Header>);

impl Headers {
    /// No headers.
    pub fn new() -> Self {
        Self(Vec::new())
    }

    /// Appends a header (existing ones with the same key stay).
    pub fn add(
        &mut self,
        key: impl Into<String>,
        schema: Option<Schema>,
        value: Value,
    ) -> &mut Self {
        self.0.push(Header::new(key, schema, value));
        self
    }

    /// Appends a prepared header.
    pub fn push(&mut self, header: Header) {
        self.0.push(header);
    }

    /// The last header with `key`, which is the one that counts for most consumers.
    pub fn last_with_name(&self, key: &str) -> Option<&Header> {
        self.0.iter().rev().find(|h| h.key == key)
    }

    /// Every header with `key`, in order.
    pub fn all_with_name<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Header> + 'a {
        self.0.iter().filter(move |h| h.key == key)
    }

    /// Removes every header with `key`.
    pub fn remove(&mut self, key: &str) -> &mut Self {
        self.0.retain(|h| h.key != key);
        self
    }

    /// Keeps only the headers for which `keep` returns true.
    pub fn retain(&mut self, keep: impl FnMut(&Header) -> bool) {
        self.0.retain(keep);
    }

    /// Number of headers.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no headers.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Iterates in order.
    pub fn iter(&self) -> std::slice::Iter<'_, Header> {
        self.0.iter()
    }
}

impl<'a> IntoIterator for &'a Headers {
    type Item = &'a Header;
    type IntoIter = std::slice::Iter<'a, Header>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Headers {
    type Item = Header;
    type IntoIter = std::vec::IntoIter<Header>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Header> for Headers {
    fn from_iter<T: IntoIterator<Item = Header>>(iter: T) -> Self {
        Self(iter.into_iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_keys_keep_order_and_last_wins() {
        let mut headers = Headers::new();
        headers
            .add("a", None, 1i32.into())
            .add("b", None, 2i32.into())
            .add("a", None, 3i32.into());
        assert_eq!(headers.last_with_name("a").unwrap().value, Value::Int32(3));
        assert_eq!(headers.all_with_name("a").count(), 2);
        headers.remove("a");
        assert_eq!(headers.len(), 1);
        assert_eq!(headers.iter().next().unwrap().key, "b");
    }
}
