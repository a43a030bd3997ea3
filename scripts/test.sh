#!/usr/bin/env bash
# The project's test command (the README points here): builds once and runs every test of
# the workspace, conformance runners included.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
cargo test --workspace --locked "$@"
