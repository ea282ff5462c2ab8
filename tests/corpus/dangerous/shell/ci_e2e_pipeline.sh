#!/usr/bin/env bash
# ci/e2e.sh - end-to-end suite on the self-hosted runners.
#
# Spins up the stack with docker compose, seeds it, runs Playwright, collects
# artifacts and tears everything down. Runners share /mnt/ci-cache between
# jobs (node_modules, playwright browsers, pip wheels).

set -Eeuo pipefail

readonly REPO_ROOT=$(git rev-parse --show-toplevel)
readonly SHARED_CACHE_DIR=/mnt/ci-cache/shared
readonly ARTIFACTS=${ARTIFACTS:-$REPO_ROOT/artifacts/e2e}
readonly COMPOSE="docker compose -f $REPO_ROOT/docker-compose.yml -f $REPO_ROOT/ci/compose.e2e.yml -p e2e-${CI_JOB_ID:-local}"
export PLAYWRIGHT_BROWSERS_PATH=$SHARED_CACHE_DIR/ms-playwright
export PIP_CACHE_DIR=$SHARED_CACHE_DIR/pip
export npm_config_cache=$SHARED_CACHE_DIR/npm

section() { echo -e "\n\033[1m--- $* ---\033[0m"; }

wait_for() {
  local url=$1 tries=${2:-60}
  for ((i = 1; i <= tries; i++)); do
    if curl -fsS -o /dev/null "$url"; then
      return 0
    fi
    sleep 2
  done
  echo "timed out waiting for $url" >&2
  return 1
}

collect_artifacts() {
  mkdir -p "$ARTIFACTS"
  $COMPOSE logs --no-color > "$ARTIFACTS/compose.log" 2>&1 || true
  $COMPOSE ps > "$ARTIFACTS/compose-ps.txt" 2>&1 || true
  cp -r "$REPO_ROOT/e2e/test-results" "$ARTIFACTS/" 2>/dev/null || true
}

teardown() {
  local status=$?
  section "teardown (exit $status)"
  collect_artifacts
  $COMPOSE down --remove-orphans --timeout 20 || true
  if [[ ${CI_CACHE_RESET:-false} == true ]]; then
    echo "CI_CACHE_RESET set: clearing the shared runner cache"
    # expect: destructive
    rm -rf "$SHARED_CACHE_DIR"
  fi
  exit "$status"
}
trap teardown EXIT

section "dependencies"
mkdir -p "$SHARED_CACHE_DIR"
(cd "$REPO_ROOT/e2e" && npm ci && npx playwright install --with-deps chromium)
pip install -r "$REPO_ROOT/requirements-dev.txt"

section "stack"
$COMPOSE build --pull
$COMPOSE up -d
wait_for http://localhost:8080/healthz
wait_for http://localhost:3000/

section "seed"
$COMPOSE exec -T api python manage.py migrate --noinput
$COMPOSE exec -T api python manage.py loaddata e2e_users e2e_catalog

section "playwright"
cd "$REPO_ROOT/e2e"
npx playwright test --reporter=line,junit --workers="${E2E_WORKERS:-4}"

section "done"
