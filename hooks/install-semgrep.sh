#!/usr/bin/env bash
# Install semgrep in its own virtual environment (it pins narrow versions of click,
# jsonschema, tomli and others, so it must not share execgate's) and print the path of
# its binary: point execgate at it with EXECGATE_SEMGREP=<that path>.
#
#   hooks/install-semgrep.sh [DIR]     default DIR: ~/.cache/execgate-semgrep/<version>
#   SEMGREP_VERSION=1.180.0 PYTHON=python3 hooks/install-semgrep.sh
#
# Idempotent: a complete environment is reused (a marker file says it is complete, so an
# interrupted install is redone); concurrent runs wait for each other on a lock file.
# Downloads ~75 MB from the package index and takes about a minute; 375 MB on disk.
set -euo pipefail
version="${SEMGREP_VERSION:-1.180.0}"
python="${PYTHON:-python3}"
dir="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/execgate-semgrep/$version}"
mkdir -p "$(dirname "$dir")"
exec 9>"$dir.lock"
if command -v flock >/dev/null; then flock 9; fi
if [ ! -f "$dir/.execgate-complete" ]; then
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/python" -m pip install --quiet --disable-pip-version-check "semgrep==$version" >&2
    touch "$dir/.execgate-complete"
fi
echo "$dir/bin/semgrep"
