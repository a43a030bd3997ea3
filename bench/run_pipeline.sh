#!/usr/bin/env bash
# Pipeline overhead benchmark (DESIGN.md "Performance goals"): datagen -> Kafka -> counting
# sink through the runtime vs a bare rdkafka produce+consume loop on the same broker, plus
# connectd start-up time, resident memory and time to first record. Prints Markdown tables
# for bench/README.md and writes target/bench/pipeline.json.
#
# Usage: bench/run_pipeline.sh [pipeline flags...]   (e.g. --records 500000 --rounds 1)
# Installs and starts a test broker (tansu, in memory) on a free port, builds connectd and
# the benchmark in release, runs it, and stops the broker on exit. About 4-5 minutes on
# 2 cores once built.
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"

scripts/test-broker.sh install
cargo build --release -p connect-server --bin connectd
cargo build --release -p connect-bench --bin pipeline

started="$(scripts/test-broker.sh start | tail -n 1)"
bootstrap="${started#KAFKA_BOOTSTRAP_SERVERS=}"
port="${bootstrap##*:}"
trap 'scripts/test-broker.sh stop "${port}"' EXIT

echo
echo "## Pipeline vs bare rdkafka ($(date -u +%Y-%m-%d), $(nproc) cores, $(rustc --version), broker: tansu on the same machine)"
echo
"${target_dir}/release/pipeline" \
    --bootstrap-servers "${bootstrap}" \
    --connectd "${target_dir}/release/connectd" \
    --output "${target_dir}/bench/pipeline.json" \
    "$@"
