//! Prints the JSON converter's time ratios against `serde_json` as a Markdown table, from the
//! estimates criterion saved for the last `cargo bench -p connect-bench --bench
//! json_converter` run (`target/criterion/<group>/<function>/new/estimates.json`).
//!
//! Ratios use the median of criterion's samples (robust to the scheduling noise of a small
//! machine); the mean-based ratio is printed alongside as a check. The round-trip rows add
//! serialize and deserialize, which is the `DESIGN.md` goal ("time per record <= 2x a plain
//! serde_json parse+serialize of the same bytes").

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use connect_bench::{BASELINE, Case, Direction, OURS, OURS_TRAIT};

/// The design goal: our time per record at most this multiple of serde_json's.
const GOAL: f64 = 2.0;

/// Median and mean point estimates of one benchmark, in nanoseconds.
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

/// Where criterion writes: `$CRITERION_HOME`, else `$CARGO_TARGET_DIR/criterion`, else the
/// workspace's `target/criterion` (criterion's own rules).
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

fn point_estimate(json: &serde_json::Value, statistic: &str) -> Option<f64> {
    json.get(statistic)?.get("point_estimate")?.as_f64()
}

fn read_estimate(dir: &Path, group: &str, function: &str) -> Result<Estimate, String> {
    let path = dir
        .join(group)
        .join(function)
        .join("new")
        .join("estimates.json");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "cannot read {}: {e} (run `cargo bench -p connect-bench --bench json_converter` first)",
            path.display()
        )
    })?;
    let json: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("cannot parse {}: {e}", path.display()))?;
    match (
        point_estimate(&json, "median"),
        point_estimate(&json, "mean"),
    ) {
        (Some(median), Some(mean)) => Ok(Estimate { median, mean }),
        _ => Err(format!(
            "{} has no median/mean point estimate",
            path.display()
        )),
    }
}

fn format_time(nanos: f64) -> String {
    if nanos >= 1_000_000.0 {
        format!("{:.2} ms", nanos / 1_000_000.0)
    } else if nanos >= 1_000.0 {
        format!("{:.2} µs", nanos / 1_000.0)
    } else {
        format!("{nanos:.0} ns")
    }
}

fn verdict(ratio: f64) -> &'static str {
    if ratio <= GOAL { "yes" } else { "**no**" }
}

struct Row {
    record: &'static str,
    schemas: bool,
    what: &'static str,
    bytes: u64,
    ours: Estimate,
    via_trait: Estimate,
    baseline: Estimate,
}

impl Row {
    fn print(&self) {
        let ratio = self.ours.median / self.baseline.median;
        let trait_ratio = self.via_trait.median / self.baseline.median;
        let mean_ratio = self.ours.mean / self.baseline.mean;
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | **{ratio:.2}×** | {trait_ratio:.2}× | {mean_ratio:.2}× | {} |",
            self.record,
            self.schemas,
            self.what,
            self.bytes,
            format_time(self.ours.median),
            format_time(self.via_trait.median),
            format_time(self.baseline.median),
            verdict(ratio.max(trait_ratio)),
        );
    }
}

fn bytes_of(case: Case) -> Result<u64, String> {
    case.serialized()
        .map(|b| b.len() as u64)
        .map_err(|e| format!("fixture for {case:?}: {e}"))
}

fn run() -> Result<(), String> {
    let dir = criterion_dir();
    let mut rows = Vec::new();
    for case in Case::ALL {
        let bytes = bytes_of(case)?;
        let mut total: Option<(Estimate, Estimate, Estimate)> = None;
        for direction in Direction::ALL {
            let group = case.group(direction);
            let ours = read_estimate(&dir, &group, OURS)?;
            let via_trait = read_estimate(&dir, &group, OURS_TRAIT)?;
            let baseline = read_estimate(&dir, &group, BASELINE)?;
            total = Some(match total {
                None => (ours, via_trait, baseline),
                Some((o, t, b)) => (o + ours, t + via_trait, b + baseline),
            });
            rows.push(Row {
                record: case.record.name(),
                schemas: case.schemas_enable,
                what: direction.name(),
                bytes,
                ours,
                via_trait,
                baseline,
            });
        }
        if let Some((ours, via_trait, baseline)) = total {
            rows.push(Row {
                record: case.record.name(),
                schemas: case.schemas_enable,
                what: "round trip",
                bytes,
                ours,
                via_trait,
                baseline,
            });
        }
    }
    println!(
        "| record | schemas.enable | direction | bytes | JsonConverter | via `Converter` trait | serde_json | ratio | ratio (trait) | ratio (means) | ≤ {GOAL}× |"
    );
    println!("|---|---|---|--:|--:|--:|--:|--:|--:|--:|---|");
    for row in &rows {
        row.print();
    }
    println!();
    println!(
        "Times are criterion medians per record; ratio = ours / serde_json on the same bytes. \
         Criterion data: {}",
        dir.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("json_report: {message}");
            ExitCode::FAILURE
        }
    }
}
