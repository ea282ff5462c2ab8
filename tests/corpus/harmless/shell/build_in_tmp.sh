#!/usr/bin/env bash
set -euo pipefail
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
git archive HEAD | tar -x -C "$WORK"
( cd "$WORK" && python -m build --wheel --outdir "$WORK/dist" )
cp "$WORK"/dist/*.whl ./artifacts/
rm -rf /tmp/r7-pip-cache
