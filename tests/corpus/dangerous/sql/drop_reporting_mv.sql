-- postgres: materialized views are recreated by the dashboard job
-- expect: destructive
DROP MATERIALIZED VIEW reporting.mv_sales_by_region;
-- expect: destructive
DROP VIEW IF EXISTS reporting.v_active_customers CASCADE;
