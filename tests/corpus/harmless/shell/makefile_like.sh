#!/usr/bin/env bash
# make-style task runner
set -euo pipefail
task="${1:-help}"
case "$task" in
  lint)    ruff check src tests ;;
  test)    pytest -q ;;
  docs)    mkdocs build --strict ;;
  serve)   uvicorn app.main:app --reload ;;
  clean)   find . -name '*.pyc' -print | wc -l; echo "use 'git clean -n' to preview untracked files" ;;
  help|*)  echo "tasks: lint test docs serve clean" ;;
esac
