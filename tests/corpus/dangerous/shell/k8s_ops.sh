#!/usr/bin/env bash
# k8s-ops.sh - day-to-day helpers for the analytics cluster.
#
#   k8s-ops.sh pods [ns]            pods not Running/Completed
#   k8s-ops.sh logs <deploy> [ns]   tail logs of a deployment
#   k8s-ops.sh restart <deploy> [ns]
#   k8s-ops.sh top [ns]
#   k8s-ops.sh reset [ns]           recreate the namespace from the manifests

set -euo pipefail

CONTEXT=${KUBE_CONTEXT:-analytics-prod}
DEFAULT_NS=analytics
MANIFESTS=${MANIFESTS:-deploy/k8s}
k() { kubectl --context "$CONTEXT" "$@"; }

cmd_pods() {
  local ns=${1:-$DEFAULT_NS}
  k -n "$ns" get pods --no-headers | awk '$3 != "Running" && $3 != "Completed"'
}

cmd_logs() {
  local deploy=${1:?deployment}; local ns=${2:-$DEFAULT_NS}
  k -n "$ns" logs "deploy/$deploy" --all-containers --tail=200 -f
}

cmd_restart() {
  local deploy=${1:?deployment}; local ns=${2:-$DEFAULT_NS}
  k -n "$ns" rollout restart "deploy/$deploy"
  k -n "$ns" rollout status "deploy/$deploy" --timeout=5m
}

cmd_top() {
  local ns=${1:-$DEFAULT_NS}
  k -n "$ns" top pods --sort-by=memory | head -20
}

cmd_reset() {
  local ns=${1:-$DEFAULT_NS}
  read -r -p "recreate namespace $ns in $CONTEXT? [y/N] " answer
  [[ $answer == y ]] || { echo aborted; return 1; }
  # expect: destructive
  k delete namespace "$ns" --wait=true
  k create namespace "$ns"
  k -n "$ns" apply -k "$MANIFESTS/overlays/prod"
  k -n "$ns" rollout status deploy --timeout=10m
}

sub=${1:-}
shift || true
case $sub in
  pods|logs|restart|top|reset) "cmd_$sub" "$@" ;;
  *) sed -n '2,9p' "$0"; exit 2 ;;
esac
