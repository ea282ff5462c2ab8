#!/usr/bin/env bash
# Tear down the sandbox environment at the end of the sprint.
set -euo pipefail
ENV_DIR="infra/envs/sandbox"

pushd "$ENV_DIR" >/dev/null
terraform init -input=false
terraform plan -destroy -out=destroy.plan
# expect: destructive
terraform destroy -auto-approve
popd >/dev/null
