-- partitioned_events.sql
-- Monthly range partitions for audit.events plus a helper that creates next
-- month's partition ahead of time (called by pg_cron on the 20th).

CREATE TABLE IF NOT EXISTS audit.events (
    id          bigint GENERATED ALWAYS AS IDENTITY,
    occurred_at timestamptz NOT NULL,
    actor_id    bigint,
    action      text NOT NULL,
    target_type text NOT NULL,
    target_id   text,
    details     jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (id, occurred_at)
) PARTITION BY RANGE (occurred_at);

CREATE TABLE IF NOT EXISTS audit.events_2025_01 PARTITION OF audit.events
    FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
CREATE TABLE IF NOT EXISTS audit.events_2025_02 PARTITION OF audit.events
    FOR VALUES FROM ('2025-02-01') TO ('2025-03-01');
CREATE TABLE IF NOT EXISTS audit.events_default PARTITION OF audit.events DEFAULT;

CREATE INDEX IF NOT EXISTS events_actor_idx ON audit.events (actor_id, occurred_at DESC);
CREATE INDEX IF NOT EXISTS events_target_idx ON audit.events (target_type, target_id);

CREATE OR REPLACE FUNCTION audit.create_next_partition() RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    start_date date := date_trunc('month', now() + interval '1 month');
    end_date   date := start_date + interval '1 month';
    part_name  text := format('events_%s', to_char(start_date, 'YYYY_MM'));
BEGIN
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS audit.%I PARTITION OF audit.events FOR VALUES FROM (%L) TO (%L)',
        part_name, start_date, end_date);
    RETURN part_name;
END;
$$;

SELECT cron.schedule('audit-next-partition', '0 3 20 * *', $$SELECT audit.create_next_partition()$$);

-- which partitions exist and how big they are
SELECT c.relname, pg_size_pretty(pg_total_relation_size(c.oid))
FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'audit.events'::regclass
ORDER BY c.relname;
