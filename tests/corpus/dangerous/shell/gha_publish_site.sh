#!/usr/bin/env bash
# .github/scripts/publish_site.sh - "Publish site" step of the docs workflow.
# Builds the static site and publishes it by replacing the tip of the deploy branch.
set -euo pipefail

: "${GITHUB_SHA:?}" "${GITHUB_REPOSITORY:?}"
TARGET_BRANCH=${TARGET_BRANCH:-main}

python -m pip install -r docs/requirements.txt
mkdocs build --strict --site-dir site

git config user.name "github-actions[bot]"
git config user.email "41898282+github-actions[bot]@users.noreply.github.com"
git checkout --orphan publish-tmp
git add -A site
git commit -m "Publish site for ${GITHUB_SHA::7}"
# expect: destructive
git push --force origin "publish-tmp:${TARGET_BRANCH}"
echo "::notice::published ${GITHUB_SHA::7} to ${TARGET_BRANCH}"
