#!/usr/bin/env bash
# bootstrap.sh - set up a new developer laptop (macOS or Ubuntu).
set -euo pipefail

OS=$(uname -s)
echo "bootstrapping on $OS"

if [[ $OS == Darwin ]]; then
  command -v brew >/dev/null || { echo "install Homebrew first: https://brew.sh"; exit 1; }
  brew bundle --file=- <<'BREW'
brew "git"
brew "pyenv"
brew "node@20"
brew "postgresql@16"
brew "redis"
brew "jq"
brew "pre-commit"
cask "docker"
BREW
else
  sudo apt-get update
  sudo apt-get install -y git build-essential libpq-dev jq redis-tools postgresql-client curl
  if ! command -v pyenv >/dev/null; then
    curl -fsSL https://pyenv.run -o /tmp/pyenv-installer.sh
    bash /tmp/pyenv-installer.sh
  fi
fi

PY_VERSION=$(cat .python-version)
pyenv install -s "$PY_VERSION"
pyenv local "$PY_VERSION"
python -m venv .venv
.venv/bin/pip install --upgrade pip
.venv/bin/pip install -r requirements-dev.txt
npm ci

if [[ ! -f .env ]]; then
  cp .env.example .env
  echo "created .env from .env.example; fill in your own values"
fi

pre-commit install
docker compose up -d postgres redis
.venv/bin/python manage.py migrate
.venv/bin/python manage.py loaddata dev_fixtures

git config --local pull.rebase true
git config --local fetch.prune true
echo "all set. run: source .venv/bin/activate && make serve"
