//! The worker: task executors, offset/config/status stores, herders and Kafka clients. Filled by the standalone-worker issue.
