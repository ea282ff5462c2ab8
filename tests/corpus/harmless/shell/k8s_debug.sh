#!/usr/bin/env bash
# k8s-debug.sh - read-only diagnostics for a misbehaving deployment.
#
#   k8s-debug.sh <namespace> <deployment>
#
# Collects describe output, events, logs (current + previous), resource usage
# and the rendered manifest into a local folder under /tmp. It does not
# restart, scale or delete anything.

set -uo pipefail

NS=${1:?namespace}
DEPLOY=${2:?deployment}
OUT=/tmp/k8s-debug-$NS-$DEPLOY-$(date +%s)
mkdir -p "$OUT"

k() { kubectl -n "$NS" "$@"; }

echo "collecting into $OUT"
k get deploy "$DEPLOY" -o yaml > "$OUT/deployment.yaml"
k describe deploy "$DEPLOY" > "$OUT/describe-deployment.txt"
k get rs -l "app=$DEPLOY" -o wide > "$OUT/replicasets.txt"
k get events --sort-by=.lastTimestamp > "$OUT/events.txt"
k top pods -l "app=$DEPLOY" > "$OUT/top.txt" 2>&1

for pod in $(k get pods -l "app=$DEPLOY" -o jsonpath='{.items[*].metadata.name}'); do
  k describe pod "$pod" > "$OUT/describe-$pod.txt"
  for c in $(k get pod "$pod" -o jsonpath='{.spec.containers[*].name}'); do
    k logs "$pod" -c "$c" --tail=2000 > "$OUT/logs-$pod-$c.txt" 2>&1
    k logs "$pod" -c "$c" --previous --tail=2000 > "$OUT/logs-$pod-$c-previous.txt" 2>&1 || true
  done
done

echo
echo "pods not ready:"
k get pods -l "app=$DEPLOY" --no-headers | awk '$2 !~ /^([0-9]+)\/\1$/'
echo
echo "restarts:"
k get pods -l "app=$DEPLOY" -o custom-columns=NAME:.metadata.name,RESTARTS:.status.containerStatuses[*].restartCount
echo
echo "done: $(ls "$OUT" | wc -l) files in $OUT"
