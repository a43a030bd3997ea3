//! The records `datagen` produces: each one a pure function of (seed, task, sequence number).
//!
//! No global or time-based randomness: a record's fields come from a splitmix64 generator
//! seeded from (seed, task, seq) alone, so a restarted task regenerates exactly the records it
//! produced before, and two runs with the same settings produce the same topic contents.
//! The generators and word lists are part of that contract: changing them changes the data.

use connect_core::logical::{decimal_schema, timestamp_schema};
use connect_core::{BigDecimal, Result, Schema, SchemaBuilder, SchemaType, Struct, Value};

/// 2024-01-01T00:00:00Z: the instant generated timestamps count from, so they are plausible
/// and identical on every run.
pub(crate) const BASE_TIMESTAMP_MS: i64 = 1_704_067_200_000;

/// What the generated records look like (the `schema` setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// User profiles: id, name, email, age, country, registration time.
    Users,
    /// Orders: id, user, product, quantity, unit price and amount as Decimals, status, time.
    Orders,
    /// `{task, seq, ts}` structs keyed by `seq`: easy to check for loss and duplicates.
    Sequence,
    /// Opaque payloads of a fixed size keyed by the big-endian `seq`: for byte-level
    /// benchmarks with the ByteArrayConverter.
    Bytes,
}

impl Kind {
    /// Every `schema` setting value, in documentation order.
    pub(crate) const NAMES: [&'static str; 4] = ["users", "orders", "sequence", "bytes"];

    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        Some(match name {
            "users" => Kind::Users,
            "orders" => Kind::Orders,
            "sequence" => Kind::Sequence,
            "bytes" => Kind::Bytes,
            _ => return None,
        })
    }
}

/// One generated key and value with their schemas.
pub(crate) struct Generated {
    pub(crate) key_schema: Schema,
    pub(crate) key: Value,
    pub(crate) value_schema: Schema,
    pub(crate) value: Value,
}

/// Builds the records of one task.
pub(crate) struct Generator {
    kind: Kind,
    seed: i64,
    task: i32,
    payload_size: usize,
    key_schema: Schema,
    value_schema: Schema,
}

const FIRST_NAMES: [&str; 16] = [
    "Alice", "Bruno", "Chiara", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
    "Kemi", "Liam", "Maya", "Nils", "Olga", "Priya",
];
const LAST_NAMES: [&str; 16] = [
    "Andersen", "Baptiste", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ivanova",
    "Jensen", "Kowalski", "Lopez", "Moreau", "Nakamura", "Okafor", "Petrov",
];
const COUNTRIES: [&str; 10] = ["US", "DE", "FR", "GB", "IN", "BR", "JP", "NG", "ES", "CA"];
/// Products and their unit prices in cents.
const PRODUCTS: [(&str, i64); 8] = [
    ("Keyboard", 4999),
    ("Mouse", 1999),
    ("Monitor", 18999),
    ("Laptop", 124900),
    ("Headphones", 8950),
    ("Webcam", 5900),
    ("USB-C Cable", 1299),
    ("Desk Lamp", 3450),
];
const STATUSES: [&str; 5] = ["PLACED", "PAID", "SHIPPED", "DELIVERED", "CANCELLED"];
/// Orders refer to users `0..USER_ID_RANGE`, the ids a `users` task 0 produces first.
const USER_ID_RANGE: u64 = 10_000;
const DAY_MS: u64 = 86_400_000;

fn schema(builder: SchemaBuilder) -> Result<Schema> {
    builder.build()
}

fn primitive(kind: SchemaType) -> Result<Schema> {
    schema(SchemaBuilder::new(kind))
}

impl Generator {
    /// The generator of task `task` for this kind of data.
    pub(crate) fn new(kind: Kind, seed: i64, task: i32, payload_size: usize) -> Result<Self> {
        let int64 = primitive(SchemaType::Int64)?;
        let (key_schema, value_schema) = match kind {
            Kind::Sequence => (
                int64.clone(),
                schema(
                    SchemaBuilder::structure()
                        .name("io.connectrs.datagen.Sequence")
                        .field("task", primitive(SchemaType::Int32)?)
                        .field("seq", int64)
                        .field("ts", schema(timestamp_schema())?),
                )?,
            ),
            Kind::Users => (
                int64.clone(),
                schema(
                    SchemaBuilder::structure()
                        .name("io.connectrs.datagen.User")
                        .field("user_id", int64)
                        .field("name", primitive(SchemaType::String)?)
                        .field("email", primitive(SchemaType::String)?)
                        .field("age", primitive(SchemaType::Int32)?)
                        .field("country", primitive(SchemaType::String)?)
                        .field("registered_at", schema(timestamp_schema())?),
                )?,
            ),
            Kind::Orders => (
                int64.clone(),
                schema(
                    SchemaBuilder::structure()
                        .name("io.connectrs.datagen.Order")
                        .field("order_id", int64.clone())
                        .field("user_id", int64)
                        .field("product", primitive(SchemaType::String)?)
                        .field("quantity", primitive(SchemaType::Int32)?)
                        .field("unit_price", schema(decimal_schema(2))?)
                        .field("amount", schema(decimal_schema(2))?)
                        .field("status", primitive(SchemaType::String)?)
                        .field("ordered_at", schema(timestamp_schema())?),
                )?,
            ),
            Kind::Bytes => (primitive(SchemaType::Bytes)?, primitive(SchemaType::Bytes)?),
        };
        Ok(Self {
            kind,
            seed,
            task,
            payload_size,
            key_schema,
            value_schema,
        })
    }

    /// The record with sequence number `seq`.
    pub(crate) fn generate(&self, seq: i64) -> Generated {
        let mut rng = Rng::for_record(self.seed, self.task, seq);
        let (key, value) = match self.kind {
            Kind::Sequence => (
                Value::Int64(seq),
                self.structure(vec![
                    Value::Int32(self.task),
                    Value::Int64(seq),
                    Value::Timestamp(BASE_TIMESTAMP_MS.saturating_add(seq)),
                ]),
            ),
            Kind::Users => {
                let first = *rng.pick(&FIRST_NAMES);
                let last = *rng.pick(&LAST_NAMES);
                let age = 18 + rng.below(63) as i32;
                let country = *rng.pick(&COUNTRIES);
                let registered_ago = rng.below(3 * 365 * DAY_MS) as i64;
                (
                    Value::Int64(seq),
                    self.structure(vec![
                        Value::Int64(seq),
                        Value::String(format!("{first} {last}")),
                        Value::String(format!(
                            "{}.{}{seq}@example.com",
                            first.to_lowercase(),
                            last.to_lowercase()
                        )),
                        Value::Int32(age),
                        Value::String(country.to_string()),
                        Value::Timestamp(BASE_TIMESTAMP_MS - registered_ago),
                    ]),
                )
            }
            Kind::Orders => {
                let user_id = rng.below(USER_ID_RANGE) as i64;
                let (product, cents) = *rng.pick(&PRODUCTS);
                let quantity = 1 + rng.below(5) as i32;
                let status = *rng.pick(&STATUSES);
                (
                    Value::Int64(seq),
                    self.structure(vec![
                        Value::Int64(seq),
                        Value::Int64(user_id),
                        Value::String(product.to_string()),
                        Value::Int32(quantity),
                        Value::Decimal(BigDecimal::new(cents, 2)),
                        Value::Decimal(BigDecimal::new(cents * i64::from(quantity), 2)),
                        Value::String(status.to_string()),
                        Value::Timestamp(
                            BASE_TIMESTAMP_MS.saturating_add(seq.saturating_mul(1000)),
                        ),
                    ]),
                )
            }
            Kind::Bytes => {
                let mut payload = Vec::with_capacity(self.payload_size + 8);
                while payload.len() < self.payload_size {
                    payload.extend_from_slice(&rng.next_u64().to_le_bytes());
                }
                payload.truncate(self.payload_size);
                (
                    Value::Bytes(seq.to_be_bytes().to_vec()),
                    Value::Bytes(payload),
                )
            }
        };
        Generated {
            key_schema: self.key_schema.clone(),
            key,
            value_schema: self.value_schema.clone(),
            value,
        }
    }

    /// A struct of the value schema; the values are built in field order above.
    fn structure(&self, values: Vec<Value>) -> Value {
        Value::Struct(Struct::from_values_unchecked(
            self.value_schema.clone(),
            values,
        ))
    }
}

/// splitmix64's output function: a strong 64-bit mixer.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// A splitmix64 generator: tiny, fast, and with a fixed output for a fixed state on every
/// platform and crate version (which a library PRNG does not promise).
pub(crate) struct Rng(u64);

impl Rng {
    /// The generator of one record, from (seed, task, seq) chained through the mixer so that
    /// neighbouring inputs give unrelated streams.
    pub(crate) fn for_record(seed: i64, task: i32, seq: i64) -> Self {
        let state = mix64(seed as u64 ^ GOLDEN_GAMMA);
        let state = mix64(state ^ (task as u32 as u64).wrapping_mul(GOLDEN_GAMMA));
        Rng(mix64(state ^ (seq as u64)))
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        mix64(self.0)
    }

    /// A number in `0..n` (`n > 0`; the modulo bias is negligible for the small `n` used).
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_values_fit_their_schemas() {
        for name in Kind::NAMES {
            let kind = Kind::from_name(name).unwrap();
            let generator = Generator::new(kind, 7, 1, 33).unwrap();
            for seq in [0, 1, 99, 1 << 40] {
                let g = generator.generate(seq);
                connect_core::validate_value(&g.key_schema, &g.key).unwrap();
                connect_core::validate_value(&g.value_schema, &g.value).unwrap();
            }
        }
    }

    #[test]
    fn records_depend_only_on_seed_task_and_seq() {
        let a = Generator::new(Kind::Users, 1, 0, 0).unwrap();
        let b = Generator::new(Kind::Users, 1, 0, 0).unwrap();
        assert_eq!(a.generate(5).value, b.generate(5).value);
        let other_seed = Generator::new(Kind::Users, 2, 0, 0).unwrap();
        let other_task = Generator::new(Kind::Users, 1, 1, 0).unwrap();
        let values: Vec<_> = (0..20).map(|s| a.generate(s).value).collect();
        let seeds: Vec<_> = (0..20).map(|s| other_seed.generate(s).value).collect();
        let tasks: Vec<_> = (0..20).map(|s| other_task.generate(s).value).collect();
        assert_ne!(values, seeds);
        assert_ne!(values, tasks);
    }

    #[test]
    fn output_is_stable_across_versions() {
        // Changing these changes every generated data set; do it only on purpose.
        let mut rng = Rng::for_record(0, 0, 0);
        assert_eq!(rng.next_u64(), STABLE_FIRST_DRAW);
        let user = Generator::new(Kind::Users, 0, 0, 0)
            .unwrap()
            .generate(3)
            .value;
        assert_eq!(user.to_java_string(), STABLE_USER_3);
        let order = Generator::new(Kind::Orders, 0, 0, 0)
            .unwrap()
            .generate(3)
            .value;
        assert_eq!(order.to_java_string(), STABLE_ORDER_3);
    }

    const STABLE_FIRST_DRAW: u64 = 3235846975224723415;
    const STABLE_USER_3: &str = "Struct{user_id=3,name=Nils Okafor,email=nils.okafor3@example.com,age=75,country=GB,registered_at=Thu Oct 21 01:41:12 UTC 2021}";
    const STABLE_ORDER_3: &str = "Struct{order_id=3,user_id=9261,product=USB-C Cable,quantity=2,unit_price=12.99,amount=25.98,status=DELIVERED,ordered_at=Mon Jan 01 00:00:03 UTC 2024}";

    #[test]
    fn bytes_have_the_payload_size_and_a_big_endian_key() {
        let generator = Generator::new(Kind::Bytes, 0, 0, 13).unwrap();
        let g = generator.generate(258);
        assert_eq!(g.key, Value::Bytes(vec![0, 0, 0, 0, 0, 0, 1, 2]));
        let Value::Bytes(payload) = &g.value else {
            panic!("not bytes")
        };
        assert_eq!(payload.len(), 13);
        assert_eq!(g.value_schema.kind(), SchemaType::Bytes);
    }

    #[test]
    fn order_amount_is_quantity_times_unit_price() {
        let generator = Generator::new(Kind::Orders, 3, 0, 0).unwrap();
        for seq in 0..50 {
            let value = generator.generate(seq).value;
            let s = value.as_struct().unwrap();
            let Value::Int32(quantity) = s.get("quantity").unwrap() else {
                panic!()
            };
            let Value::Decimal(price) = s.get("unit_price").unwrap() else {
                panic!()
            };
            let Value::Decimal(amount) = s.get("amount").unwrap() else {
                panic!()
            };
            assert_eq!(amount, &BigDecimal::new(price.unscaled() * *quantity, 2));
        }
    }
}
