#!/usr/bin/env bash
# Rebase my feature branch on main and update the PR
set -euo pipefail
TICKET="${1:?ticket id}"
BRANCH="feature/${TICKET}"
git fetch origin
git checkout "$BRANCH"
git rebase origin/main
git push --force-with-lease origin "$BRANCH"
