#!/usr/bin/env bash
# ci/checks.sh - what the "checks" job runs on every pull request.
set -Eeuo pipefail

echo "::group::environment"
python --version
pip --version
git log -1 --format='%H %s'
echo "::endgroup::"

echo "::group::install"
python -m pip install --upgrade pip
pip install -r requirements/ci.txt
pip install -e . --no-deps
npm ci --prefix frontend
echo "::endgroup::"

echo "::group::lint"
ruff check --output-format=github .
ruff format --check .
mypy --install-types --non-interactive src
npm run --prefix frontend lint
echo "::endgroup::"

echo "::group::migrations"
# make sure every model change has a migration; fails if makemigrations would create one
python manage.py makemigrations --check --dry-run
# and that migrations never contain destructive operations without review
if git diff --name-only "origin/${GITHUB_BASE_REF:-main}"...HEAD -- '*/migrations/*.py' | xargs -r grep -lE 'RemoveField|DeleteModel|RunSQL' ; then
  echo "::warning::this PR touches migrations with RemoveField/DeleteModel/RunSQL; request a DB review"
fi
echo "::endgroup::"

echo "::group::tests"
export DJANGO_SETTINGS_MODULE=config.settings.test
export DATABASE_URL=postgresql://postgres:postgres@localhost:5432/ci_${GITHUB_RUN_ID:-local}
pytest -q -n auto --cov=src --cov-report=xml --junitxml=reports/junit.xml
npm test --prefix frontend -- --ci
echo "::endgroup::"

echo "::group::coverage"
python -m coverage report --fail-under=85
echo "::endgroup::"
