#!/usr/bin/env bash
# CI: regenerate the docs site and publish it on the main branch of the docs repo
set -euo pipefail

TARGET_BRANCH="${TARGET_BRANCH:-main}"
PUSH_OPTS="--force"

git config user.name "ci-bot"
git config user.email "ci-bot@acme.example"

mkdocs build --strict --site-dir site
cd site
git init -q
git checkout -b "$TARGET_BRANCH"
git add -A
git commit -qm "docs: publish ${GITHUB_SHA:-local}"
git remote add origin "git@github.com:acme/docs.git"
# expect: destructive
git push $PUSH_OPTS origin "$TARGET_BRANCH"
