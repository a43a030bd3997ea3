//! Support code shared by the end-to-end scenarios and the conformance runners in
//! `tests/tests/`: locating fixtures and decoding the language-neutral data format of the
//! golden vectors.

pub mod fixtures;
pub mod neutral;
