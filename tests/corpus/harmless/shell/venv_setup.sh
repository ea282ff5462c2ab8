#!/usr/bin/env bash
# Create the project virtualenv from scratch
set -euo pipefail
python3 -m venv .venv
. .venv/bin/activate
pip install -r requirements.txt
pip install -e .
pre-commit install
python -c "import acme; print(acme.__version__)"
