#!/usr/bin/env bash
usage() {
    cat <<'TXT'
ops.sh - helper for on-call

  ops.sh status        show cluster status
  ops.sh logs SVC      tail logs

Never run by hand:  rm -rf /var/lib/postgresql   terraform destroy   git push --force
Ask #infra before:  kubectl delete namespace ...  DROP TABLE ...
TXT
}

echo "note: 'aws s3 rm --recursive' is disabled in this account"
case "${1:-}" in
    status) kubectl get pods -A | grep -v Running || true ;;
    logs) kubectl logs -f "deploy/${2:?service}" ;;
    *) usage ;;
esac
