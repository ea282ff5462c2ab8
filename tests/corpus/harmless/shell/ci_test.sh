#!/usr/bin/env bash
# CI entry point: lint, type-check, test, build
set -euo pipefail

python -m pip install --upgrade pip
pip install -e '.[test]'

echo "::group::lint"
ruff check .
ruff format --check .
echo "::endgroup::"

echo "::group::tests"
pytest -q --junitxml=reports/junit.xml --cov=src --cov-report=xml:reports/coverage.xml
echo "::endgroup::"

python -m build
ls -l dist/
rm -f reports/.coverage.tmp
