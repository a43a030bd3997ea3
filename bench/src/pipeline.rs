//! Shared pieces of the `pipeline` benchmark binary (`src/bin/pipeline/`): the exact bytes of
//! datagen's `bytes` records, so the bare rdkafka baseline produces the same records the
//! datagen source does, plus small measurement helpers (medians, `/proc` memory readings).

use std::time::Duration;

/// `datagen`'s mixer (splitmix64's output function). Kept bit-identical to
/// `connect_connectors::datagen`; a test checks the records against the real task.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// The key of datagen's `bytes` record `seq`: the sequence number, 8 bytes big-endian.
pub fn bytes_key(seq: i64) -> [u8; 8] {
    seq.to_be_bytes()
}

/// Writes the value of datagen's `bytes` record `seq` of task `task` (seed `seed`) into
/// `out` (cleared first): `size` pseudo-random bytes, exactly what the datagen task
/// generates, so the baseline moves the same (incompressible) bytes as the pipeline.
pub fn bytes_value(seed: i64, task: i32, seq: i64, size: usize, out: &mut Vec<u8>) {
    out.clear();
    let state = mix64(seed as u64 ^ GOLDEN_GAMMA);
    let state = mix64(state ^ (task as u32 as u64).wrapping_mul(GOLDEN_GAMMA));
    let mut state = mix64(state ^ (seq as u64));
    while out.len() < size {
        state = state.wrapping_add(GOLDEN_GAMMA);
        out.extend_from_slice(&mix64(state).to_le_bytes());
    }
    out.truncate(size);
}

/// The median of some samples (mean of the middle two for an even count); `NaN` if empty.
pub fn median(samples: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = samples.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    if sorted.len() % 2 == 1 {
        sorted[mid]
    } else {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    }
}

/// Records per second for `records` moved in `elapsed`.
pub fn rate(records: u64, elapsed: Duration) -> f64 {
    records as f64 / elapsed.as_secs_f64()
}

/// A `kB` field of `/proc/<pid>/status` (`VmRSS`: resident memory now, `VmHWM`: its peak),
/// in KiB; `None` if the process or the field is gone.
pub fn proc_status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    parse_status_kib(&status, field)
}

/// The value of a `Field:   1234 kB` line of a `/proc/<pid>/status` text.
pub fn parse_status_kib(status: &str, field: &str) -> Option<u64> {
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().strip_suffix("kB")?.trim().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use connect_connectors::datagen::DatagenTask;
    use connect_core::connector::{OffsetReader, SourceTask, SourceTaskContext};
    use connect_core::record::OffsetMap;
    use connect_core::{Properties, Value};

    use super::*;

    struct NoOffsets;

    impl OffsetReader for NoOffsets {
        fn offset(&self, _partition: &OffsetMap) -> Option<OffsetMap> {
            None
        }
    }

    #[tokio::test]
    async fn baseline_records_are_datagen_bytes_records() {
        for (task_index, size) in [(0, 100), (1, 13), (0, 0), (2, 1024)] {
            let config: Properties = [
                ("topic", "t"),
                ("schema", "bytes"),
                ("payload.size", &size.to_string()),
                ("count", "50"),
                ("seed", "0"),
                ("datagen.task.index", &task_index.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
            let mut task = DatagenTask::default();
            task.start(
                &config,
                SourceTaskContext {
                    offsets: Arc::new(NoOffsets),
                },
            )
            .await
            .unwrap();
            let records = task.poll().await.unwrap();
            assert_eq!(records.len(), 50);
            let mut value = Vec::new();
            for (i, record) in records.iter().enumerate() {
                let seq = i64::from(task_index) * 50 + i as i64;
                bytes_value(0, task_index, seq, size, &mut value);
                assert_eq!(record.key, Value::Bytes(bytes_key(seq).to_vec()));
                assert_eq!(record.value, Value::Bytes(value.clone()));
            }
        }
    }

    #[test]
    fn medians() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(median(&[]).is_nan());
    }

    #[test]
    fn reads_proc_status_fields() {
        let text = "Name:\tconnectd\nVmHWM:\t   20480 kB\nVmRSS:\t   10240 kB\n";
        assert_eq!(parse_status_kib(text, "VmRSS"), Some(10240));
        assert_eq!(parse_status_kib(text, "VmHWM"), Some(20480));
        assert_eq!(parse_status_kib(text, "VmSwap"), None);
        assert!(proc_status_kib(std::process::id(), "VmRSS").is_some_and(|kib| kib > 0));
    }
}
