#!/usr/bin/env bash
# "Reset" the dev environment: restart the containers and apply pending migrations (data kept).
set -euo pipefail

docker compose stop api worker
docker compose up -d db redis
until docker compose exec -T db pg_isready -U app >/dev/null 2>&1; do sleep 1; done
docker compose run --rm api alembic upgrade head
docker compose up -d api worker
docker compose ps
