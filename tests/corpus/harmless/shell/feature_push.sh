#!/bin/sh
set -e
BRANCH="feature/r7-loyalty-tier"
git checkout -b "$BRANCH"
git add -A
git commit -m "Add loyalty tier column"
git fetch --prune origin
git push -u origin "$BRANCH"
