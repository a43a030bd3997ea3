#!/usr/bin/env bash
# The project's test command (the README points here): builds once and runs every test of
# the workspace: unit tests, conformance runners and end-to-end scenarios against a real
# broker and a real connectd process.
#
# Tests talk to a real Kafka-compatible broker. Unless KAFKA_BOOTSTRAP_SERVERS is already
# set (any real Kafka works), a tansu broker is started for the run by
# scripts/test-broker.sh and always stopped on exit. TANSU_BIN is exported too, so tests
# that need a broker that goes down and comes back can start their own tansu process.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Installs tansu into .venv/ the first time; a no-op after that.
bash scripts/test-broker.sh install
if [[ -z "${TANSU_BIN:-}" ]]; then
    TANSU_BIN="$(bash scripts/test-broker.sh bin)"
fi
export TANSU_BIN
# The Python interpreter with grpcio, for the test that drives connectd from a client we
# did not write.
export TEST_PYTHON="${TEST_PYTHON:-$PWD/.venv/bin/python}"

broker_port=""
stop_broker() {
    if [[ -n "${broker_port}" ]]; then
        bash scripts/test-broker.sh stop "${broker_port}" || true
    fi
}
trap stop_broker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -z "${KAFKA_BOOTSTRAP_SERVERS:-}" ]]; then
    line="$(bash scripts/test-broker.sh start)"
    KAFKA_BOOTSTRAP_SERVERS="${line#KAFKA_BOOTSTRAP_SERVERS=}"
    broker_port="${KAFKA_BOOTSTRAP_SERVERS##*:}"
fi
export KAFKA_BOOTSTRAP_SERVERS
echo "test.sh: KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS} TANSU_BIN=${TANSU_BIN}" >&2

# End-to-end tests run connectd as a process: build it (once, shared with the tests' build).
cargo build --locked -p connect-server --bin connectd
cargo test --workspace --locked --no-fail-fast "$@"
