-- Postgres: drop yearly archive tables older than 2021
DO $$
DECLARE
    yr int;
BEGIN
    FOR yr IN 2015..2020 LOOP
        -- expect: destructive
        EXECUTE format('DROP TABLE IF EXISTS archive.orders_%s CASCADE', yr);
    END LOOP;
END
$$;
