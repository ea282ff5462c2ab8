#!/usr/bin/env bash
# The files a pull request or push changed, for the execgate action (action.yml).
#
#   changed-files.sh LIST
#
# Writes the changed files, NUL-separated, to LIST and says on stdout what was
# compared. Pull requests: the base branch (EXECGATE_CI_BASE_REF, github.base_ref)
# is fetched, deepening the shallow clone until a merge base appears, and the
# files added, copied, modified or renamed in "origin/BASE...HEAD" are listed.
# Pushes: "BEFORE HEAD" (EXECGATE_CI_BEFORE, github.event.before). When neither
# works (first push of a branch, history gone, not a git checkout) LIST is not
# written and the caller checks every file under its paths.
set -uo pipefail

out=${1:?usage: changed-files.sh LIST}
remote=${EXECGATE_CI_REMOTE:-origin}
depth=${EXECGATE_CI_FETCH_DEPTH:-50}
base_ref=${EXECGATE_CI_BASE_REF:-}
before=${EXECGATE_CI_BEFORE:-}
rm -f -- "$out"

everything() {
    echo "execgate: checking every file ($1)"
    exit 0
}

list_diff() {  # $1: the range or commit to compare HEAD with
    local tmp="$out.tmp"
    if git -c core.quotepath=off diff --name-only -z --diff-filter=ACMR "$@" > "$tmp"; then
        mv -- "$tmp" "$out"
        local count
        count=$(tr -cd '\0' < "$out" | wc -c)
        echo "execgate: ${count// /} changed files ($*)"
        exit 0
    fi
    rm -f -- "$tmp"
    everything "git diff $* failed"
}

git rev-parse --is-inside-work-tree > /dev/null 2>&1 || everything "not a git checkout"

if [[ -n "$base_ref" ]]; then
    tracking="refs/remotes/$remote/$base_ref"
    git fetch --no-tags --quiet --depth="$depth" "$remote" "+refs/heads/$base_ref:$tracking" \
        || everything "cannot fetch the base branch $base_ref"
    for _ in 1 2 3 4 5 6; do
        git merge-base "$tracking" HEAD > /dev/null 2>&1 && list_diff "$tracking...HEAD"
        [[ "$(git rev-parse --is-shallow-repository)" == "true" ]] || break
        git fetch --no-tags --quiet --deepen="$depth" "$remote" "+refs/heads/$base_ref:$tracking" || break
        depth=$((depth * 2))
    done
    if [[ "$(git rev-parse --is-shallow-repository)" == "true" ]]; then
        git fetch --no-tags --quiet --unshallow "$remote" "+refs/heads/$base_ref:$tracking" || true
    fi
    git merge-base "$tracking" HEAD > /dev/null 2>&1 && list_diff "$tracking...HEAD"
    everything "no merge base with $base_ref"
fi

if [[ -n "$before" && ! "$before" =~ ^0+$ ]]; then
    if ! git cat-file -e "$before^{commit}" 2> /dev/null; then
        git fetch --no-tags --quiet --depth=1 "$remote" "$before" 2> /dev/null || true
    fi
    git cat-file -e "$before^{commit}" 2> /dev/null && list_diff "$before" HEAD
    everything "the previous commit $before is not available"
fi

everything "no base to compare with"
