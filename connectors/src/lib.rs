//! Built-in connectors and the explicit list of every built-in plugin.
//!
//! - [`file`](mod@file): Kafka's `FileStreamSourceConnector` / `FileStreamSinkConnector`, under the same
//!   class names and with the same settings, records and offsets, so quickstart configs and
//!   stored offsets written by Kafka Connect keep working.
//! - [`datagen`]: deterministic generated records for demos, tests and benchmarks.
//! - [`counting`]: a sink that only counts what it receives, for benchmarks and for tests of
//!   the runtime's error paths.
//! - [`registry()`]: one function listing these connectors and the converters of
//!   `connect-converters`, under the names Kafka Connect users write.
//!
//! Each connector lives in its own folder; nothing registers itself behind the scenes.

pub mod counting;
pub mod datagen;
pub mod file;
pub mod registry;
mod util;

pub use counting::{SinkCounter, counter};
pub use registry::registry;

/// The version every built-in connector reports: the crate's, since they ship with it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
