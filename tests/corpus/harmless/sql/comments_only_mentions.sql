-- Runbook notes (not executed by any job):
--   DROP TABLE sales.orders;            -- never do this, the table is the source of truth
--   TRUNCATE marts.fct_orders;          -- handled by dbt full-refresh instead
/* DELETE FROM users;  kept here as a warning from the 2022 incident */
SELECT 'DROP TABLE is disabled' AS note, count(*) AS deleted_rows
FROM audit.events
WHERE action IN ('drop_table', 'truncate', 'delete_all');
