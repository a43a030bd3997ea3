//! Small per-SMT caches of what an SMT derives from an input schema: the output schema
//! ([`SchemaCache`]) or a whole per-schema plan ([`PlanCache`]).
//!
//! Schema'd records of one topic nearly always share one schema, so deriving the output schema
//! once per input schema and reusing it turns per-record schema building into a lookup. A
//! stream's records usually carry the very same schema object (converters and connectors
//! cache their schemas), so the entry used last is checked first by pointer; other schemas
//! go through a hash lookup (schemas carry a precomputed hash). The caches are bounded like
//! Kafka Connect's (16 entries) so a stream of ever-changing schemas cannot grow them
//! without limit.

use std::num::NonZeroUsize;
use std::sync::Arc;

use connect_core::{ConnectError, Result, Schema};
use lru::LruCache;

/// How many input schemas each SMT remembers, as in Kafka Connect.
const CAPACITY: NonZeroUsize = NonZeroUsize::new(16).expect("16 is not zero");

/// Input schema -> derived output schema.
#[derive(Debug, Default)]
pub struct SchemaCache {
    plans: PlanCache<Schema>,
}

impl SchemaCache {
    /// The output schema for `input`, derived with `derive` on the first call for that schema.
    pub fn get_or_derive(
        &mut self,
        input: &Schema,
        derive: impl FnOnce(&Schema) -> Result<Schema>,
    ) -> Result<Schema> {
        self.plans.get_or_build(input, derive).cloned()
    }
}

/// Input schema -> a plan worked out once for it (typically the output schema plus, per
/// output field, where its value comes from and what Kafka's `Struct.put` would still check),
/// so that the per-record work is moving values by position.
#[derive(Debug)]
pub struct PlanCache<P> {
    /// The plan used last, found by pointer comparison: the per-record fast path.
    last: Option<(Schema, Arc<P>)>,
    /// Every remembered plan, by schema equality (plans are shared with `last`).
    entries: LruCache<Schema, Arc<P>>,
}

impl<P> Default for PlanCache<P> {
    fn default() -> Self {
        Self {
            last: None,
            entries: LruCache::new(CAPACITY),
        }
    }
}

impl<P> PlanCache<P> {
    /// The plan for `input`, built with `build` on the first call for an equal schema. A
    /// failed build is not remembered, so every record of that schema fails the same way, as
    /// in Kafka Connect.
    pub fn get_or_build(
        &mut self,
        input: &Schema,
        build: impl FnOnce(&Schema) -> Result<P>,
    ) -> Result<&P> {
        if !matches!(&self.last, Some((schema, _)) if schema.ptr_eq(input)) {
            let plan = match self.entries.get(input) {
                Some(plan) => Arc::clone(plan),
                None => {
                    let plan = Arc::new(build(input)?);
                    self.entries.put(input.clone(), Arc::clone(&plan));
                    plan
                }
            };
            self.last = Some((input.clone(), plan));
        }
        match &self.last {
            Some((_, plan)) => Ok(plan),
            None => Err(ConnectError::data("No plan was built for the schema")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_core::SchemaBuilder;

    fn struct_schema() -> Schema {
        SchemaBuilder::structure()
            .field("a", SchemaBuilder::int32().build().expect("int32"))
            .build()
            .expect("struct")
    }

    #[test]
    fn derives_once_per_schema() {
        let mut cache = SchemaCache::default();
        let input = struct_schema();
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

    #[test]
    fn plans_are_shared_by_equal_schemas_and_failures_are_not_kept() {
        let mut cache: PlanCache<usize> = PlanCache::default();
        let mut calls = 0;
        for _ in 0..2 {
            // Equal but separate schema objects: found by equality, built once.
            let plan = cache
                .get_or_build(&struct_schema(), |_| {
                    calls += 1;
                    Ok(7)
                })
                .expect("plan");
            assert_eq!(*plan, 7);
        }
        assert_eq!(calls, 1);
        let other = SchemaBuilder::structure().build().expect("empty struct");
        for _ in 0..2 {
            cache
                .get_or_build(&other, |_| {
                    calls += 1;
                    Err(ConnectError::data("no"))
                })
                .expect_err("build fails");
        }
        assert_eq!(calls, 3);
        // The first schema's plan is still there.
        assert_eq!(
            *cache
                .get_or_build(&struct_schema(), |_| Ok(0))
                .expect("plan"),
            7
        );
    }
}
