#!/usr/bin/env bash
set -euo pipefail
IMAGE=registry.acme.example/storefront/api
TAG=$(git rev-parse --short HEAD)
docker build -t "$IMAGE:$TAG" -f docker/api.Dockerfile .
docker run --rm "$IMAGE:$TAG" python -m pytest -q tests/smoke
docker compose -f docker-compose.test.yml down
docker image prune -f --filter "until=168h"
