#!/usr/bin/env bash
# Restart the local stack from a clean slate (agent suggestion for a migration error)
set -e
cd "$(dirname "$0")/.."
# expect: destructive
docker compose down -v
docker compose up -d --build
docker compose logs -f --tail=50 api
