"""Remove duplicate tracking events (same event_id ingested twice), keeping the first copy."""
import os

import psycopg2

DEDUPE_SQL = """
DELETE FROM tracking_events e
USING (
    SELECT id,
           row_number() OVER (PARTITION BY event_id ORDER BY received_at) AS rn
    FROM tracking_events
    WHERE received_at >= now() - interval '2 days'
) d
WHERE e.id = d.id
  AND d.rn > 1
"""

ORPHANS_SQL = """
DELETE FROM tracking_event_props p
WHERE NOT EXISTS (SELECT 1 FROM tracking_events e WHERE e.id = p.event_id)
  AND p.created_at >= now() - interval '2 days'
"""

with psycopg2.connect(os.environ["DATABASE_URL"]) as conn:
    with conn.cursor() as cur:
        cur.execute(DEDUPE_SQL)
        print(f"removed {cur.rowcount} duplicate events")
        cur.execute(ORPHANS_SQL)
        print(f"removed {cur.rowcount} orphaned props")
