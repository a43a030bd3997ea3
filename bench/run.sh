#!/usr/bin/env bash
# Runs the JSON converter benchmarks and prints the ratio table (Markdown) for bench/README.md.
# Usage: bench/run.sh   (from anywhere; about 2-3 minutes on 2 cores)
set -euo pipefail
cd "$(dirname "$0")/.."

criterion_dir="${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}"
# Drop results of earlier runs so the table is computed from this run only.
rm -rf "$criterion_dir"/json_{small,cdc}_{schemas,noschemas}_{serialize,deserialize}

cargo bench -p connect-bench --bench json_converter
echo
echo "## JSON converter vs serde_json ($(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version))"
echo
cargo run -q -p connect-bench --release --bin json_report
