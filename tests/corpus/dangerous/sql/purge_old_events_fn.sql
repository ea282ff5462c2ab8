-- postgres: helper the nightly cron calls
CREATE OR REPLACE FUNCTION ops.reset_event_queue() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE NOTICE 'clearing event queue';
    -- expect: destructive
    DELETE FROM ops.event_queue;
    INSERT INTO ops.maintenance_log (action, at) VALUES ('reset_event_queue', now());
END;
$$;
