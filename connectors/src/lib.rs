//! Built-in connectors (file, datagen, counting sink) and the explicit plugin registry. Filled by the standalone-worker issue.
