//! Support code shared by the end-to-end scenarios and the conformance runners in
//! `tests/tests/`: locating fixtures, decoding the language-neutral data format of the
//! golden vectors, reaching the test broker, running `connectd` as a process, and waiting
//! on conditions with deadlines.

pub mod connectd;
pub mod fixtures;
pub mod kafka;
pub mod lenient;
pub mod neutral;
pub mod scenario;
pub mod schema_registry;
pub mod wait;
