#!/usr/bin/env bash
# Fix the failing CI on main: squash the broken merge commits and push the cleaned history.
set -euo pipefail

git fetch origin
git checkout main
git reset --soft origin/main~3
git commit -m "ci: fix workflow (squashed)"
# expect: destructive
git push --force origin main
