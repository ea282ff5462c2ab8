#!/usr/bin/env python3
"""logs-explorer: ad-hoc analysis of exported nginx JSON logs with DuckDB.

    logs-explorer top-paths logs/*.json.gz
    logs-explorer errors logs/*.json.gz --since 2024-05-01
    logs-explorer slow logs/*.json.gz --p 0.99

Runs on an in-memory DuckDB database; temp tables vanish with the process.
"""
from __future__ import annotations

import argparse
import sys

import duckdb


def connect(files: list[str]) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET threads TO 8")
    con.execute(
        "CREATE TEMP TABLE requests AS SELECT * FROM read_json_auto(?, format='newline_delimited', union_by_name=true)",
        [files],
    )
    con.execute("ALTER TABLE requests ADD COLUMN ts TIMESTAMP")
    con.execute("UPDATE requests SET ts = CAST(time_iso8601 AS TIMESTAMP) WHERE time_iso8601 IS NOT NULL")
    con.execute("DELETE FROM requests WHERE uri LIKE '/healthz%' OR http_user_agent LIKE '%kube-probe%'")
    return con


def top_paths(con, limit: int) -> None:
    rows = con.execute("""
        SELECT regexp_replace(uri, '\\?.*$', '') AS path, count(*) AS hits,
               round(avg(request_time) * 1000) AS avg_ms
        FROM requests GROUP BY 1 ORDER BY hits DESC LIMIT ?
    """, [limit]).fetchall()
    for path, hits, avg_ms in rows:
        print(f"{hits:>10}  {avg_ms:>6} ms  {path}")


def errors(con, since: str | None) -> None:
    where = "WHERE status >= 500" + (" AND ts >= CAST(? AS TIMESTAMP)" if since else "")
    params = [since] if since else []
    rows = con.execute(f"""
        SELECT date_trunc('hour', ts) AS hour, status, count(*) AS n
        FROM requests {where} GROUP BY 1, 2 ORDER BY 1, 2
    """, params).fetchall()
    for hour, status, n in rows:
        print(hour, status, n)


def slow(con, p: float) -> None:
    rows = con.execute("""
        SELECT regexp_replace(uri, '\\?.*$', '') AS path, quantile_cont(request_time, ?) AS q, count(*) AS n
        FROM requests GROUP BY 1 HAVING count(*) > 100 ORDER BY q DESC LIMIT 25
    """, [p]).fetchall()
    for path, q, n in rows:
        print(f"{q * 1000:>8.0f} ms  {n:>8}  {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="logs-explorer", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("top-paths"); a.add_argument("files", nargs="+"); a.add_argument("--limit", type=int, default=30)
    b = sub.add_parser("errors"); b.add_argument("files", nargs="+"); b.add_argument("--since")
    c = sub.add_parser("slow"); c.add_argument("files", nargs="+"); c.add_argument("--p", type=float, default=0.95)
    args = parser.parse_args(argv)
    con = connect(args.files)
    if args.cmd == "top-paths":
        top_paths(con, args.limit)
    elif args.cmd == "errors":
        errors(con, args.since)
    else:
        slow(con, args.p)
    con.execute("DROP TABLE IF EXISTS requests")
    return 0


if __name__ == "__main__":
    sys.exit(main())
