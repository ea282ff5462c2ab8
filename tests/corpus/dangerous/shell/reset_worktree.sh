#!/usr/bin/env bash
# Agent helper: make the checkout identical to upstream before re-running the build.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
BRANCH="${1:-main}"

git fetch --prune origin
# expect: destructive
git reset --hard "origin/${BRANCH}"
# expect: destructive
git clean -fdx
echo "worktree reset to origin/${BRANCH}"
