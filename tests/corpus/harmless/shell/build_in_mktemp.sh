#!/usr/bin/env bash
# Build the release tarball in a scratch directory; the scratch dir is removed on exit.
set -euo pipefail

workdir=$(mktemp -d)
trap 'rm -rf "$workdir"' EXIT

git archive --format=tar HEAD | tar -x -C "$workdir"
( cd "$workdir" && python -m build --sdist --wheel --outdir dist )
mkdir -p dist
cp "$workdir"/dist/* dist/
ls -l dist/
