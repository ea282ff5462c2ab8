#!/usr/bin/env bash
# ci/terraform-plan.sh - plan every stack changed in the pull request and
# write the plans as PR comment markdown. Plan only: apply happens from the
# release pipeline after approval; destroy is never run from CI.

set -euo pipefail

BASE=${GITHUB_BASE_REF:-main}
OUT=${RUNNER_TEMP:-/tmp}/tf-plans
mkdir -p "$OUT"

mapfile -t stacks < <(git diff --name-only "origin/$BASE"...HEAD -- 'infra/stacks/**' \
  | awk -F/ '{print $1"/"$2"/"$3}' | sort -u)

if [[ ${#stacks[@]} -eq 0 ]]; then
  echo "no terraform stacks changed"
  exit 0
fi

status=0
for stack in "${stacks[@]}"; do
  [[ -d $stack ]] || continue
  name=${stack//\//_}
  echo "::group::$stack"
  terraform -chdir="$stack" fmt -check -recursive || status=1
  terraform -chdir="$stack" init -input=false -lockfile=readonly
  terraform -chdir="$stack" validate
  set +e
  terraform -chdir="$stack" plan -input=false -lock-timeout=5m -detailed-exitcode -out="$OUT/$name.tfplan"
  code=$?
  set -e
  case $code in
    0) echo "$stack: no changes" ;;
    2) echo "$stack: changes" ;;
    *) echo "$stack: plan failed"; status=1 ;;
  esac
  if [[ -f $OUT/$name.tfplan ]]; then
    terraform -chdir="$stack" show -no-color "$OUT/$name.tfplan" > "$OUT/$name.txt"
    if grep -qE '^\s+# .* will be destroyed' "$OUT/$name.txt"; then
      echo "::warning::$stack plan destroys resources; needs a second approval"
    fi
  fi
  echo "::endgroup::"
done

{
  echo "### Terraform plans"
  for f in "$OUT"/*.txt; do
    echo "<details><summary>$(basename "$f" .txt)</summary>"
    echo
    echo '```'
    tail -n 60 "$f"
    echo '```'
    echo "</details>"
  done
} > "$OUT/comment.md"
exit $status
