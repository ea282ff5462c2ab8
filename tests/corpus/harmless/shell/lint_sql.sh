#!/usr/bin/env bash
# lint the SQL models; the DROP/TRUNCATE rules in .sqlfluff are set to error
set -euo pipefail
sqlfluff lint models/ --dialect snowflake --format github-annotation
grep -rn --include='*.sql' -iE 'drop table|truncate' models/ && echo "found destructive statements, please review" || true
