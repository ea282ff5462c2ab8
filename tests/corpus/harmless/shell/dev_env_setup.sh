#!/usr/bin/env bash
# One-time developer setup
set -euo pipefail

python3 -m venv .venv
source .venv/bin/activate
pip install --upgrade pip wheel
pip install -e ".[dev]"
pre-commit install
cp -n .env.example .env || true
docker compose pull
docker compose up -d postgres redis
docker compose ps
echo "done. run 'make test' to check everything works"
