//! Small helpers shared by the built-in connectors.

use std::time::{SystemTime, UNIX_EPOCH};

use connect_core::record::OffsetMap;
use connect_core::{ConnectError, ErrorCause};

/// A [`ConnectError::Connect`] caused by an I/O failure, keeping the OS message as the cause
/// so the task's status trace says what actually went wrong.
pub(crate) fn io_error(message: impl Into<String>, error: &std::io::Error) -> ConnectError {
    ConnectError::Connect {
        message: message.into(),
        cause: Some(Box::new(ErrorCause {
            class: "IOException".to_string(),
            message: error.to_string(),
        })),
    }
}

/// Wall-clock milliseconds since the epoch, as Java's `System.currentTimeMillis()`.
pub(crate) fn now_millis() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// An integer carried by a JSON offset value. Kafka requires a `Long`; whole numbers written
/// as doubles (`1234.0`) are accepted too, because offsets sent over gRPC travel in a
/// `google.protobuf.Struct`, whose numbers are all doubles.
pub(crate) fn json_integer(value: &serde_json::Value) -> Option<i64> {
    if let Some(n) = value.as_i64() {
        return Some(n);
    }
    let f = value.as_f64()?;
    // i64::MAX as f64 rounds up to 2^63, which does not fit; hence the strict upper bound.
    (f.fract() == 0.0 && f >= i64::MIN as f64 && f < i64::MAX as f64).then_some(f as i64)
}

/// The source partition an `alter_offsets` entry is keyed by: the partition map as JSON text.
pub(crate) fn parse_partition_key(key: &str) -> connect_core::Result<Option<OffsetMap>> {
    match serde_json::from_str::<serde_json::Value>(key) {
        Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
        Ok(serde_json::Value::Null) => Ok(None),
        _ => Err(ConnectError::connect(format!(
            "Source partition is not a JSON object: {key}"
        ))),
    }
}

/// Test doubles for the runtime side of the plugin traits.
#[cfg(test)]
pub(crate) mod testing {
    use std::collections::BTreeMap;
    use std::sync::{Arc, Mutex};

    use connect_core::connector::{
        OffsetReader, SinkTaskContext, SourceTaskContext, TopicPartition,
    };
    use connect_core::record::OffsetMap;

    /// Committed source offsets held in memory, keyed by the partition's JSON text.
    #[derive(Default)]
    pub(crate) struct MemoryOffsets {
        offsets: Mutex<BTreeMap<String, OffsetMap>>,
    }

    impl MemoryOffsets {
        pub(crate) fn with(partition: serde_json::Value, offset: serde_json::Value) -> Self {
            let store = Self::default();
            store.put(partition, offset);
            store
        }

        pub(crate) fn put(&self, partition: serde_json::Value, offset: serde_json::Value) {
            let (Some(p), Some(o)) = (partition.as_object(), offset.as_object()) else {
                panic!("partition and offset must be objects");
            };
            self.offsets
                .lock()
                .unwrap()
                .insert(serde_json::Value::Object(p.clone()).to_string(), o.clone());
        }

        pub(crate) fn context(self) -> SourceTaskContext {
            SourceTaskContext {
                offsets: Arc::new(self),
            }
        }
    }

    impl OffsetReader for MemoryOffsets {
        fn offset(&self, partition: &OffsetMap) -> Option<OffsetMap> {
            let key = serde_json::Value::Object(partition.clone()).to_string();
            self.offsets.lock().unwrap().get(&key).cloned()
        }
    }

    /// A sink context that accepts every request and does nothing.
    pub(crate) struct NoopSinkContext;

    impl SinkTaskContext for NoopSinkContext {
        fn assignment(&self) -> Vec<TopicPartition> {
            Vec::new()
        }
        fn reset_offset(&self, _: TopicPartition, _: i64) {}
        fn pause(&self, _: &[TopicPartition]) {}
        fn resume(&self, _: &[TopicPartition]) {}
        fn request_commit(&self) {}
    }

    pub(crate) use connect_core::config::properties as props;
}
