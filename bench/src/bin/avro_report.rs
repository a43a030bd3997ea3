//! Prints the Avro converter's time ratios against plain `apache-avro` (and the JSON
//! converter's times for the same records) as a Markdown table, from the estimates
//! criterion saved for the last `cargo bench -p connect-bench --bench avro_converter` run.
//!
//! Ratios use criterion's medians (robust to scheduling noise on a small machine), with
//! the mean-based ratio alongside as a check. Round-trip rows add serialize and
//! deserialize. The goal (`DESIGN.md`): AvroConverter ≤ 1.5× apache-avro per record.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use connect_bench::avro::{APACHE_AVRO, AVRO, JSON_NO_SCHEMAS, JSON_SCHEMAS, group, prepare};
use connect_bench::{Direction, Record};

const GOAL: f64 = 1.5;

#[derive(Clone, Copy)]
struct Estimate {
    median: f64,
    mean: f64,
}

impl std::ops::Add for Estimate {
    type Output = Estimate;
    fn add(self, other: Estimate) -> Estimate {
        Estimate {
            median: self.median + other.median,
            mean: self.mean + other.mean,
        }
    }
}

/// Where criterion writes (its own rules: `$CRITERION_HOME`, `$CARGO_TARGET_DIR/criterion`,
/// else the workspace's `target/criterion`).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    workspace
        .canonicalize()
        .unwrap_or(workspace)
        .join("target")
        .join("criterion")
}

fn read_estimate(dir: &Path, group: &str, function: &str) -> Result<Estimate, String> {
    let path = dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run `cargo bench -p connect-bench --bench avro_converter` first)",
            path.display()
        )
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    let point = |statistic: &str| json.get(statistic)?.get("point_estimate")?.as_f64();
    match (point("median"), point("mean")) {
        (Some(median), Some(mean)) => Ok(Estimate { median, mean }),
        _ => Err(format!("{} has no median/mean estimate", path.display())),
    }
}

fn time(nanos: f64) -> String {
    if nanos >= 1000.0 {
        format!("{:.2} µs", nanos / 1000.0)
    } else {
        format!("{nanos:.0} ns")
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(all_met) => {
            if all_met {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<bool, String> {
    let dir = criterion_dir();
    println!(
        "| record | direction | message bytes | AvroConverter | apache-avro | ratio | ratio (means) | ≤ {GOAL}× | JsonConverter (schemas) | JsonConverter (no schemas) |"
    );
    println!("|---|---|--:|--:|--:|--:|--:|---|--:|--:|");
    let mut all_met = true;
    for record in [Record::Small, Record::Cdc] {
        let bytes = prepare(record).map_err(|e| e.to_string())?.message.len();
        let mut rows = Vec::new();
        for direction in Direction::ALL {
            let g = group(record, direction);
            let read = |f: &str| read_estimate(&dir, &g, f);
            rows.push((
                direction.name(),
                [
                    read(AVRO)?,
                    read(APACHE_AVRO)?,
                    read(JSON_SCHEMAS)?,
                    read(JSON_NO_SCHEMAS)?,
                ],
            ));
        }
        let sum: [Estimate; 4] = std::array::from_fn(|i| rows[0].1[i] + rows[1].1[i]);
        rows.push(("round trip", sum));
        for (direction, [ours, apache, json, json_plain]) in rows {
            let ratio = ours.median / apache.median;
            let ratio_mean = ours.mean / apache.mean;
            let met = ratio <= GOAL;
            all_met &= met;
            println!(
                "| {} | {direction} | {bytes} | {} | {} | **{ratio:.2}×** | {ratio_mean:.2}× | {} | {} | {} |",
                record.name(),
                time(ours.median),
                time(apache.median),
                if met { "yes" } else { "no" },
                time(json.median),
                time(json_plain.median),
            );
        }
    }
    Ok(all_met)
}
