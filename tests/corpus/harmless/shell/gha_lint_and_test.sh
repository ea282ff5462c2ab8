#!/usr/bin/env bash
# .github/scripts/test.sh - "Lint and test" step. Only the changed Python files are linted.
set -euo pipefail

BASE_REF=${GITHUB_BASE_REF:-main}
git fetch --no-tags --depth=50 origin "$BASE_REF"

mapfile -t CHANGED < <(git diff --name-only --diff-filter=ACMR "origin/$BASE_REF"...HEAD -- '*.py')
if (( ${#CHANGED[@]} )); then
  ruff check "${CHANGED[@]}"
  ruff format --check "${CHANGED[@]}"
fi

python -m pip install -e ".[test]"
pytest -q --maxfail=5 --junitxml=reports/junit.xml --cov=api --cov-report=xml:reports/coverage.xml

echo "### Tests passed on ${GITHUB_SHA::7}" >> "$GITHUB_STEP_SUMMARY"
