#!/usr/bin/env bash
# Deploy on the shared build host: make the checkout match origin exactly
set -euo pipefail
cd /srv/shared/monorepo

git fetch origin
# expect: destructive
git reset --hard origin/main
# expect: destructive
git clean -fdx
make deploy
