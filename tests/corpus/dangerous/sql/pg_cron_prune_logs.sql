-- Set up a cron job to prune logs (pg_cron, runs nightly at 03:15 UTC).

CREATE EXTENSION IF NOT EXISTS pg_cron;

-- expect: destructive
SELECT cron.schedule('prune-app-logs', '15 3 * * *', $$DELETE FROM app_logs$$);

SELECT cron.schedule('vacuum-app-logs', '45 3 * * *', $$VACUUM (ANALYZE) app_logs$$);

SELECT jobid, schedule, command FROM cron.job ORDER BY jobid;
