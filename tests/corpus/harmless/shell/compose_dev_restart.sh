#!/usr/bin/env bash
# dev.sh - day-to-day local stack commands. Volumes are kept unless you really ask.
set -euo pipefail

cmd=${1:-up}
case "$cmd" in
  up)
    docker compose pull --quiet
    docker compose up -d --remove-orphans
    docker compose ps
    ;;
  restart)
    docker compose down --remove-orphans
    docker compose up -d
    ;;
  logs)
    docker compose logs -f --tail=200 "${2:-api}"
    ;;
  psql)
    docker compose exec db psql -U app app_dev
    ;;
  *)
    echo "usage: dev.sh up|restart|logs [service]|psql" >&2
    exit 64
    ;;
esac
