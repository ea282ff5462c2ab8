-- postgres: reporting helpers (idempotent)
CREATE OR REPLACE VIEW reporting.v_open_tickets AS
SELECT id, subject, priority, created_at
FROM support.tickets
WHERE closed_at IS NULL;

CREATE OR REPLACE FUNCTION reporting.ticket_age_days(t timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT extract(day FROM now() - t)::int
$$;

CREATE MATERIALIZED VIEW IF NOT EXISTS reporting.mv_ticket_backlog AS
SELECT priority, count(*) AS open FROM reporting.v_open_tickets GROUP BY priority;

REFRESH MATERIALIZED VIEW CONCURRENTLY reporting.mv_ticket_backlog;
