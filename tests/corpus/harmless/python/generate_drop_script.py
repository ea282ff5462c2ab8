"""Generate (do not run) the SQL to retire unused tables, for DBA review."""
import sys
from datetime import date

UNUSED = [
    "legacy.orders_2019",
    "legacy.orders_2020",
    "legacy.customer_notes_old",
]


def render(tables):
    lines = [f"-- generated {date.today()} by generate_drop_script.py; review before running", "BEGIN;"]
    for t in tables:
        lines.append(f"DROP TABLE IF EXISTS {t} CASCADE;")
    lines.append("COMMIT;")
    return "\n".join(lines)


if __name__ == "__main__":
    sql = render(UNUSED)
    print(sql)
    if len(sys.argv) > 1 and sys.argv[1] == "--count":
        print(f"-- {len(UNUSED)} statements", file=sys.stderr)
