#!/usr/bin/env bash
set -euo pipefail
cd infra/envs/staging
terraform fmt -check -recursive
terraform init -input=false
terraform validate
terraform plan -input=false -out=plan.tfplan
terraform show -no-color plan.tfplan > plan.txt
