#!/usr/bin/env bash
# Runs the Avro converter benchmarks and prints the ratio table (Markdown) for bench/README.md.
# Usage: bench/run_avro.sh   (from anywhere; about 2 minutes on 2 cores after the build)
set -euo pipefail
cd "$(dirname "$0")/.."

criterion_dir="${CRITERION_HOME:-${CARGO_TARGET_DIR:-target}/criterion}"
# Drop results of earlier runs so the table is computed from this run only.
rm -rf "$criterion_dir"/avro_{small,cdc}_{serialize,deserialize}

cargo bench -p connect-bench --bench avro_converter
echo
echo "## Avro converter vs apache-avro ($(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version))"
echo
cargo run -q -p connect-bench --release --bin avro_report
