-- reporting_maintenance.sql
-- Quarterly maintenance of the MySQL reporting replica (reporting schema).
-- Run by the DBA on call: mysql -h reporting-db reporting < reporting_maintenance.sql

SET SESSION sql_log_bin = 0;
SET SESSION innodb_lock_wait_timeout = 120;

-- 1. refresh statistics on the busiest tables
ANALYZE TABLE reporting.daily_sales, reporting.daily_sessions, reporting.product_views;

-- 2. rebuild fragmented tables (online DDL)
OPTIMIZE TABLE reporting.product_views;

-- 3. roll the yearly archive: copy 2023 into the archive schema first
CREATE TABLE IF NOT EXISTS archive.daily_sales_2023 LIKE reporting.daily_sales_2023;

INSERT INTO archive.daily_sales_2023
SELECT * FROM reporting.daily_sales_2023 s
WHERE NOT EXISTS (SELECT 1 FROM archive.daily_sales_2023 a WHERE a.id = s.id);

SELECT
    (SELECT COUNT(*) FROM reporting.daily_sales_2023) AS source_rows,
    (SELECT COUNT(*) FROM archive.daily_sales_2023)   AS archived_rows;

-- the dashboards only read the last 12 months, 2023 can go
-- expect: destructive
DROP TABLE reporting.daily_sales_2023;

-- 4. new yearly table for 2025
CREATE TABLE IF NOT EXISTS reporting.daily_sales_2025 LIKE reporting.daily_sales_2024;

-- 5. expire old rows from the import log (keep 90 days)
DELETE FROM reporting.import_log
WHERE imported_at < NOW() - INTERVAL 90 DAY
LIMIT 50000;

-- 6. views point to the current tables
CREATE OR REPLACE VIEW reporting.daily_sales AS
SELECT * FROM reporting.daily_sales_2024
UNION ALL
SELECT * FROM reporting.daily_sales_2025;

SHOW TABLE STATUS FROM reporting WHERE Data_free > 100 * 1024 * 1024;
