#!/usr/bin/env bash
# what `make lint` runs
set -euo pipefail
ruff check .
mypy src/
if grep -rn "DROP TABLE" migrations/ ; then
  echo "migrations must not contain destructive statements" >&2
  exit 1
fi
echo "lint ok; remember: never rm -rf the repo"
