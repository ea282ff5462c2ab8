-- Incident 2025-03-04: analytics.fct_orders was dropped by a bad dbt run.
-- Bring it back from Time Travel and make sure it keeps 30 days of history from now on.
USE ROLE sysadmin;
USE SCHEMA analytics.core;

SHOW TABLES HISTORY LIKE 'FCT_ORDERS';

UNDROP TABLE fct_orders;

CREATE TABLE fct_orders_before_incident CLONE fct_orders
  AT (TIMESTAMP => '2025-03-04 06:00:00'::TIMESTAMP_LTZ);

ALTER TABLE fct_orders SET DATA_RETENTION_TIME_IN_DAYS = 30;

SELECT COUNT(*) FROM fct_orders;
SELECT COUNT(*) FROM fct_orders_before_incident;
