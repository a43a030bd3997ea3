//! A small per-SMT cache of derived output schemas.
//!
//! Schema'd records of one topic nearly always share one schema, so deriving the output schema
//! once per input schema and reusing it turns per-record schema building into a hash lookup
//! (schemas carry a precomputed hash). The cache is bounded like Kafka Connect's (16 entries)
//! so a stream of ever-changing schemas cannot grow it without limit.

use std::num::NonZeroUsize;

use connect_core::{Result, Schema};
use lru::LruCache;

/// How many input schemas each SMT remembers, as in Kafka Connect.
const CAPACITY: NonZeroUsize = NonZeroUsize::new(16).expect("16 is not zero");

/// Input schema -> derived output schema.
#[derive(Debug)]
pub struct SchemaCache {
    entries: LruCache<Schema, Schema>,
}

impl Default for SchemaCache {
    fn default() -> Self {
        Self {
            entries: LruCache::new(CAPACITY),
        }
    }
}

impl SchemaCache {
    /// The output schema for `input`, derived with `derive` on the first call for that schema.
    pub fn get_or_derive(
        &mut self,
        input: &Schema,
        derive: impl FnOnce(&Schema) -> Result<Schema>,
    ) -> Result<Schema> {
        if let Some(found) = self.entries.get(input) {
            return Ok(found.clone());
        }
        let derived = derive(input)?;
        self.entries.put(input.clone(), derived.clone());
        Ok(derived)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;

    #[test]
    fn derives_once_per_schema() {
        let mut cache = SchemaCache::default();
        let input = SchemaBuilder::structure()
            .field("a", SchemaBuilder::int32().build().expect("int32"))
            .build()
            .expect("struct");
        let mut calls = 0;
        for _ in 0..3 {
            let out = cache
                .get_or_derive(&input, |s| {
                    calls += 1;
                    s.to_builder().name("derived").build()
                })
                .expect("derive");
            assert_eq!(out.name(), Some("derived"));
        }
        assert_eq!(calls, 1);
    }
}
