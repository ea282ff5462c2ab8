#!/usr/bin/env bash
# tasks.sh - the project's task runner (we dropped make because of Windows devs).
#
#   ./tasks.sh <target> [args]
#
# Targets: setup lint fmt test cov build run docs release hotfix help

set -euo pipefail
cd "$(dirname "$0")"

PY=${PY:-python3}
VENV=.venv
IMAGE=ghcr.io/acme/ledger-api
VERSION=$(git describe --tags --always --dirty)

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

activate() {
  [[ -d $VENV ]] || die "run ./tasks.sh setup first"
  # shellcheck disable=SC1091
  source "$VENV/bin/activate"
}

target_setup() {
  log "creating $VENV"
  $PY -m venv "$VENV"
  activate
  pip install --upgrade pip wheel
  pip install -e '.[dev]'
  pre-commit install
}

target_lint() {
  activate
  ruff check src tests
  mypy src
}

target_fmt() {
  activate
  ruff format src tests
  ruff check --fix src tests
}

target_test() {
  activate
  pytest -q -n auto "$@"
}

target_cov() {
  activate
  pytest -q --cov=ledger --cov-report=term-missing --cov-report=xml "$@"
}

target_build() {
  log "building $IMAGE:$VERSION"
  docker build --pull -t "$IMAGE:$VERSION" -t "$IMAGE:latest" .
}

target_run() {
  target_build
  docker run --rm -p 8000:8000 --env-file .env.local "$IMAGE:$VERSION"
}

target_docs() {
  activate
  mkdocs build --strict
}

target_release() {
  local part=${1:-patch}
  [[ -z $(git status --porcelain) ]] || die "working tree is dirty"
  activate
  bump-my-version bump "$part"
  git push origin main --follow-tags
  target_build
  docker push "$IMAGE:$VERSION"
}

# Hotfix: cherry-pick onto main and publish right away. Main may have moved
# during the incident, so we overwrite it with our local state.
target_hotfix() {
  local commit=${1:?usage: tasks.sh hotfix <commit>}
  git fetch origin
  git checkout main
  git cherry-pick "$commit"
  target_test
  # expect: destructive
  git push --force origin main
  log "hotfix $commit pushed to main"
}

target_help() {
  sed -n '2,8p' "$0"
}

main() {
  local target=${1:-help}
  shift || true
  if declare -F "target_$target" >/dev/null; then
    "target_$target" "$@"
  else
    die "unknown target: $target (try help)"
  fi
}

main "$@"
