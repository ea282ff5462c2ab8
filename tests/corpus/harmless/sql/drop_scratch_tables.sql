-- Tidy up after the ad-hoc analysis: drop only the scratch tables created for it.

DROP TABLE IF EXISTS tmp_orders_rollup;
DROP TABLE IF EXISTS tmp_cohort_retention;
DROP TABLE IF EXISTS temp_churn_candidates;

SELECT table_name FROM information_schema.tables
WHERE table_schema = 'public' AND (table_name LIKE 'tmp\_%' OR table_name LIKE 'temp\_%');
