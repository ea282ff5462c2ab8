#!/usr/bin/env bash
# Prepares the benchmarks: one virtualenv per peer tool (their pins must not touch execgate's
# environment: semgrep downgraded click in a shared one), then the real corpora from PyPI sdists,
# verified against bench/corpus.lock. Needs only the package index. Safe to re-run: existing
# venvs and verified archives are kept.
#
#   bash bench/setup.sh            # everything
#   bash bench/setup.sh --corpus   # only the corpora
#   bash bench/setup.sh --peers    # only the peer tools
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
venvs="$here/.cache/venvs"

# Pinned peers: what the numbers in bench/results were measured with.
BANDIT="bandit==1.9.4"
# 1.181+ need a certifi release newer than the index serves here.
SEMGREP="semgrep==1.180.0"
SQLFLUFF="sqlfluff==4.5.0"

peer() {  # peer NAME REQUIREMENT BINARY
    local dir="$venvs/$1"
    if [ -x "$dir/bin/$3" ] && "$dir/bin/pip" show -q "${2%%==*}" >/dev/null 2>&1 \
        && [ "$("$dir/bin/pip" show "${2%%==*}" | sed -n 's/^Version: //p')" = "${2##*==}" ]; then
        echo "setup: $2 already in $dir"
        return
    fi
    echo "setup: installing $2 into $dir"
    "$python" -m venv --clear "$dir"
    "$dir/bin/pip" install -q --disable-pip-version-check "$2"
}

want_peers=1
want_corpus=1
case "${1:-}" in
    --corpus) want_peers=0 ;;
    --peers) want_corpus=0 ;;
    "") ;;
    *) echo "usage: bench/setup.sh [--corpus|--peers]" >&2; exit 2 ;;
esac

if [ "$want_peers" = 1 ]; then
    mkdir -p "$venvs"
    peer bandit "$BANDIT" bandit
    peer sqlfluff "$SQLFLUFF" sqlfluff
    peer semgrep "$SEMGREP" semgrep
fi
if [ "$want_corpus" = 1 ]; then
    "$python" "$here/fetch_corpus.py"
fi
echo "setup: done"
