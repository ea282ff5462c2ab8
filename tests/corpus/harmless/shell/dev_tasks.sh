#!/usr/bin/env bash
# dev.sh - developer task runner for the analytics-api repo.
#
#   ./dev.sh setup        create the virtualenv and install hooks
#   ./dev.sh lint         ruff + mypy
#   ./dev.sh test [args]  pytest (extra args are passed through)
#   ./dev.sh db-up        start postgres + redis in docker compose
#   ./dev.sh db-logs
#   ./dev.sh migrate      alembic upgrade head
#   ./dev.sh serve        run the API with autoreload
#   ./dev.sh build        build the docker image
#   ./dev.sh scratch      print a fresh scratch directory under /tmp
#   ./dev.sh clean-tmp    remove this repo's scratch directories under /tmp
#
# There is deliberately no target that drops the database or deletes data;
# use `docker compose down` and recreate the volume by hand if you must.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV=.venv
PY=${PYTHON:-python3.12}
COMPOSE=(docker compose -f docker/compose.dev.yml)
SCRATCH_PREFIX=/tmp/analytics-api-scratch

info() { printf '\e[36m%s\e[0m\n' "$*"; }

ensure_venv() {
  if [[ ! -x $VENV/bin/python ]]; then
    info "no virtualenv yet, running setup"
    cmd_setup
  fi
  # shellcheck disable=SC1091
  source "$VENV/bin/activate"
}

cmd_setup() {
  $PY -m venv "$VENV"
  "$VENV/bin/pip" install --upgrade pip
  "$VENV/bin/pip" install -e '.[dev,test]'
  "$VENV/bin/pre-commit" install --install-hooks
  info "done. activate with: source $VENV/bin/activate"
}

cmd_lint() {
  ensure_venv
  ruff check .
  ruff format --check .
  mypy src
}

cmd_test() {
  ensure_venv
  export DATABASE_URL=${TEST_DATABASE_URL:-postgresql://postgres:postgres@localhost:5433/analytics_test}
  pytest -q --maxfail=5 "$@"
}

cmd_db-up() {
  "${COMPOSE[@]}" up -d postgres redis
  for _ in $(seq 1 30); do
    if "${COMPOSE[@]}" exec -T postgres pg_isready -U postgres >/dev/null 2>&1; then
      info "postgres is ready"
      return 0
    fi
    sleep 1
  done
  echo "postgres did not become ready" >&2
  return 1
}

cmd_db-logs() { "${COMPOSE[@]}" logs -f --tail=100 postgres; }

cmd_migrate() {
  ensure_venv
  alembic upgrade head
  alembic current
}

cmd_serve() {
  ensure_venv
  uvicorn analytics_api.main:app --reload --port "${PORT:-8000}"
}

cmd_build() {
  local tag
  tag=analytics-api:$(git rev-parse --short HEAD)
  docker build -t "$tag" -f docker/Dockerfile .
  info "built $tag"
}

cmd_scratch() {
  mkdir -p "$SCRATCH_PREFIX"
  mktemp -d "$SCRATCH_PREFIX/XXXXXX"
}

cmd_clean-tmp() {
  if [[ -d $SCRATCH_PREFIX ]]; then
    info "removing $SCRATCH_PREFIX"
    rm -rf "$SCRATCH_PREFIX"
  fi
}

cmd_help() { sed -n '2,18p' "$0"; }

target=${1:-help}
shift || true
if declare -F "cmd_$target" >/dev/null; then
  "cmd_$target" "$@"
else
  echo "unknown target '$target'" >&2
  cmd_help
  exit 2
fi
