#!/usr/bin/env bash
# Rebuild and restart the local dev containers, then show logs
set -euo pipefail

docker compose build --pull api worker
docker compose up -d --remove-orphans
docker compose ps
docker compose exec -T api python manage.py migrate --noinput
docker compose logs --tail=100 api worker
docker system df
