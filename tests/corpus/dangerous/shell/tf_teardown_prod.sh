#!/usr/bin/env bash
# Wrapper the agent generated to "reset" the environment after a failed apply.
set -euo pipefail
ENV_DIR="infra/envs/prod"
terraform -chdir="$ENV_DIR" init -input=false
terraform -chdir="$ENV_DIR" plan -destroy -out=destroy.tfplan
# expect: destructive
terraform -chdir="$ENV_DIR" destroy -auto-approve -input=false
