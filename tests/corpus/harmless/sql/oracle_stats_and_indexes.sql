-- Weekly maintenance for the reporting schema (Oracle).
-- Note: we never PURGE RECYCLEBIN or DROP anything here; that goes through change control.
SET SERVEROUTPUT ON

BEGIN
  EXECUTE IMMEDIATE 'ALTER SESSION SET ddl_lock_timeout = 30';
  DBMS_STATS.GATHER_TABLE_STATS(ownname => 'REPORTING', tabname => 'SALES_FACT', cascade => TRUE);
  DBMS_STATS.GATHER_TABLE_STATS(ownname => 'REPORTING', tabname => 'CUSTOMER_DIM', cascade => TRUE);
END;
/

DECLARE
  v_count NUMBER;
BEGIN
  SELECT COUNT(*) INTO v_count
  FROM user_indexes
  WHERE index_name = 'IX_SALES_FACT_DAY';

  IF v_count = 0 THEN
    EXECUTE IMMEDIATE 'CREATE INDEX ix_sales_fact_day ON sales_fact (sale_day) ONLINE';
  ELSE
    EXECUTE IMMEDIATE 'ALTER INDEX ix_sales_fact_day REBUILD ONLINE';
  END IF;
END;
/

SELECT segment_name, ROUND(bytes / 1024 / 1024) AS mb
FROM user_segments
WHERE segment_type = 'TABLE'
ORDER BY bytes DESC
FETCH FIRST 20 ROWS ONLY;
