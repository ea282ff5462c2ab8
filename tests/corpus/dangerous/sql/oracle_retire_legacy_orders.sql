-- Retire the legacy order tables after the migration to ORDERS_V2 (Oracle 19c).
-- Run as APP_OWNER in SQL*Plus / SQLcl.
SET SERVEROUTPUT ON
WHENEVER SQLERROR EXIT SQL.SQLCODE

-- 1. sanity: the new table has everything
SELECT COUNT(*) AS legacy_rows FROM legacy_orders;
SELECT COUNT(*) AS v2_rows FROM orders_v2 WHERE migrated_from = 'LEGACY';

-- 2. drop the legacy objects, skipping the ones that are already gone
DECLARE
  PROCEDURE drop_if_exists(p_table IN VARCHAR2) IS
  BEGIN
    -- expect: destructive
    EXECUTE IMMEDIATE 'DROP TABLE ' || p_table || ' CASCADE CONSTRAINTS PURGE';
    DBMS_OUTPUT.PUT_LINE('dropped ' || p_table);
  EXCEPTION
    WHEN OTHERS THEN
      IF SQLCODE != -942 THEN
        RAISE;
      END IF;
  END;
BEGIN
  drop_if_exists('LEGACY_ORDER_LINES');
  drop_if_exists('LEGACY_ORDERS');
END;
/

-- 3. and empty the recycle bin so the space comes back now
-- expect: destructive
PURGE RECYCLEBIN;

EXEC DBMS_STATS.GATHER_SCHEMA_STATS(ownname => 'APP_OWNER');
