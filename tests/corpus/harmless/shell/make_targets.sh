#!/bin/sh
# Makefile-ish helper: lint, test, package into a scratch dir
set -eu

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

lint() { ruff check . && mypy src; }
test() { pytest -q --junitxml="$WORK/junit.xml"; cp "$WORK/junit.xml" reports/; }
package() {
    python -m build --outdir "$WORK/dist"
    mkdir -p dist
    cp "$WORK"/dist/*.whl dist/
}

case "${1:-all}" in
    lint) lint ;;
    test) test ;;
    package) package ;;
    all) lint; test; package ;;
esac
