#!/usr/bin/env bash
# build_image.sh - build and push the API image (what the Dockerfile used to do in one RUN).
set -euo pipefail

REGISTRY=${REGISTRY:-ghcr.io/acme}
IMAGE=$REGISTRY/shop-api
TAG=${TAG:-$(git rev-parse --short HEAD)}
CONTEXT=$(mktemp -d)
trap 'rm -rf "$CONTEXT"' EXIT

# assemble a minimal build context instead of sending the whole repo
git archive --format=tar HEAD api/ pyproject.toml poetry.lock | tar -x -C "$CONTEXT"
cp deploy/docker/Dockerfile.api "$CONTEXT/Dockerfile"

docker build \
  --pull \
  --build-arg PYTHON_VERSION=3.12 \
  --label "org.opencontainers.image.revision=$(git rev-parse HEAD)" \
  -t "$IMAGE:$TAG" \
  "$CONTEXT"

docker run --rm "$IMAGE:$TAG" python -c "import api; print(api.__version__)"
docker push "$IMAGE:$TAG"

if [[ "${GITHUB_REF:-}" == "refs/heads/main" ]]; then
  docker tag "$IMAGE:$TAG" "$IMAGE:latest"
  docker push "$IMAGE:latest"
fi
docker image prune --force --filter "label=org.opencontainers.image.revision" --filter "until=72h"
