#!/usr/bin/env bash
# Lints the protobuf contract under proto/ with buf (rules in buf.yaml).
#
# buf is installed from npm into .tools/ (git-ignored) on first use, pinned to
# BUF_VERSION, so this works on a fresh machine that only has Node.js/npm.
# Extra arguments are passed to `buf lint`, e.g. `--error-format=json`.
# Exits non-zero on any lint error.
set -euo pipefail

BUF_VERSION="1.75.0"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools_dir="${repo_root}/.tools"
buf_bin="${tools_dir}/node_modules/.bin/buf"

installed_version=""
if [[ -x "${buf_bin}" ]]; then
    installed_version="$("${buf_bin}" --version 2>/dev/null || true)"
fi

if [[ "${installed_version}" != "${BUF_VERSION}" ]]; then
    if ! command -v npm >/dev/null 2>&1; then
        echo "buf-lint: npm is required to install buf ${BUF_VERSION}" >&2
        exit 2
    fi
    echo "buf-lint: installing @bufbuild/buf@${BUF_VERSION} into ${tools_dir}" >&2
    mkdir -p "${tools_dir}"
    npm install --prefix "${tools_dir}" --no-save --no-audit --no-fund --include=optional \
        --loglevel=error "@bufbuild/buf@${BUF_VERSION}" >&2
fi

cd "${repo_root}"
"${buf_bin}" lint "$@"
echo "buf-lint: ok (buf ${BUF_VERSION})" >&2
