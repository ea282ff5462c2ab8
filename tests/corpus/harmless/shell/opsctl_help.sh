#!/usr/bin/env bash
# opsctl - thin wrapper the on-call team uses. Most subcommands only print
# guidance; the ones that act are read-only (status, lag, who).
#
# Destructive procedures (dropping a replica, wiping a cache, force-pushing a
# hotfix) are documented in `opsctl help <topic>` but are NOT executed by this
# tool: copy the commands, get a reviewer, run them by hand.

set -euo pipefail

usage() {
  cat <<'USAGE'
opsctl <command> [args]

Commands:
  status                show service health (read-only)
  lag                   replication lag of the read replicas (read-only)
  who                   who is on call this week
  help <topic>          print the runbook for a topic

Topics:
  drop-replica          how to remove a broken read replica (DROP, re-clone)
  wipe-cache            how to flush the Redis cache (FLUSHDB on the cache instance ONLY)
  force-push            when a force push to a release branch is acceptable (almost never)
  delete-tenant         the 4-eyes procedure for deleting a tenant's data
USAGE
}

topic() {
  case $1 in
    drop-replica)
      cat <<'TXT'
1. Remove the replica from the load balancer pool:  lbctl pool remove db-replicas <host>
2. Stop replication on the host:                    sudo systemctl stop postgresql
3. Re-clone it:                                     pg_basebackup -h primary -D /var/lib/postgresql/16/main -R -X stream
   (the data directory must be emptied first; see the wiki, we do not script `rm -rf` of data dirs)
TXT
      ;;
    wipe-cache)
      echo "redis-cli -h cache.internal -n 2 FLUSHDB   # cache instance only, never the sessions instance"
      ;;
    force-push)
      echo "Never on main. On a release branch only with the release manager on the call: git push --force-with-lease"
      ;;
    delete-tenant)
      echo "Open a DELETE-TENANT ticket; the platform team runs tenantctl delete --tenant <id> --confirm after legal sign-off."
      ;;
    *) echo "unknown topic $1" >&2; return 2 ;;
  esac
}

cmd=${1:-}
case $cmd in
  status)
    for url in https://api.acme.io/healthz https://app.acme.io/healthz https://admin.acme.io/healthz; do
      code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url" || echo 000)
      printf '%-40s %s\n' "$url" "$code"
    done
    ;;
  lag)
    psql -h db-primary.internal -U monitor -d postgres -tAc \
      "SELECT client_addr, state, pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) AS lag_bytes FROM pg_stat_replication"
    ;;
  who)
    curl -fsS https://oncall.internal.acme.io/api/current | jq -r '.primary + " (backup: " + .secondary + ")"'
    ;;
  help)
    topic "${2:?topic}"
    ;;
  *)
    usage
    ;;
esac
