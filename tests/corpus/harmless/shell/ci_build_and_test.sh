#!/usr/bin/env bash
# CI: build, lint and test the monorepo
set -euo pipefail

echo "::group::frontend"
pushd web >/dev/null
npm ci
npm run lint
npm test -- --ci --coverage
npm run build
popd >/dev/null
echo "::endgroup::"

echo "::group::backend"
python -m pip install --upgrade pip
pip install -r requirements.txt -r requirements-dev.txt
make lint
pytest -q --junitxml=reports/junit.xml
echo "::endgroup::"

docker build -t "ghcr.io/acme/api:${GITHUB_SHA:-dev}" -f docker/api.Dockerfile .
docker image ls | head
