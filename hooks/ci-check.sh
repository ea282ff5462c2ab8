#!/usr/bin/env bash
# Run the execgate CI gate once (analyzer.gates.ci) with the action's inputs, for action.yml.
#
# Inputs come from the environment so that no input is ever pasted into shell code:
#   EXECGATE_CI_PATHS        files and folders, one a line or separated by spaces (default .)
#   EXECGATE_CI_CHANGED      list of changed files from changed-files.sh; used when it exists
#   EXECGATE_CI_POLICY, EXECGATE_CI_ENVIRONMENT, EXECGATE_CI_ROLE
#   EXECGATE_CI_FAIL_ON      block | warn | never (default block)
#   EXECGATE_CI_SARIF        SARIF file to write (default execgate-results.sarif)
#   EXECGATE_CI_CATEGORY     SARIF category (default execgate)
#   EXECGATE_CI_PYTHON       the Python that has execgate installed (default python)
# The JSON report goes to EXECGATE_CI_JSON when set, the Markdown summary to
# $GITHUB_STEP_SUMMARY and the counts to $GITHUB_OUTPUT. Exits with the gate's status.
set -uo pipefail

python=${EXECGATE_CI_PYTHON:-python}
args=(--fail-on "${EXECGATE_CI_FAIL_ON:-block}" --sarif "${EXECGATE_CI_SARIF:-execgate-results.sarif}"
      --category "${EXECGATE_CI_CATEGORY:-execgate}/")
[[ -n "${EXECGATE_CI_POLICY:-}" ]] && args+=(--policy "$EXECGATE_CI_POLICY")
[[ -n "${EXECGATE_CI_ENVIRONMENT:-}" ]] && args+=(--env "$EXECGATE_CI_ENVIRONMENT")
[[ -n "${EXECGATE_CI_ROLE:-}" ]] && args+=(--role "$EXECGATE_CI_ROLE")
[[ -n "${EXECGATE_CI_JSON:-}" ]] && args+=(--json "$EXECGATE_CI_JSON")
if [[ -n "${EXECGATE_CI_CHANGED:-}" && -f "${EXECGATE_CI_CHANGED}" ]]; then
    args+=(--changed-files "$EXECGATE_CI_CHANGED")
fi

paths=()
while IFS= read -r line; do
    read -r -a words <<< "$line"
    paths+=("${words[@]}")
done <<< "${EXECGATE_CI_PATHS:-.}"
[[ ${#paths[@]} -gt 0 ]] || paths=(.)

"$python" -m analyzer.gates.ci "${args[@]}" -- "${paths[@]}"
