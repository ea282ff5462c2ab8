-- Monthly archive of closed orders older than 24 months (Oracle 19c).
-- Copies the rows to ORDERS_ARCHIVE, then removes exactly those rows.
CREATE OR REPLACE PROCEDURE archive_closed_orders (p_batch IN PLS_INTEGER DEFAULT 5000) AS
  v_cutoff DATE := ADD_MONTHS(TRUNC(SYSDATE, 'MM'), -24);
  v_moved  PLS_INTEGER := 0;
BEGIN
  LOOP
    INSERT INTO orders_archive (order_id, customer_id, status, total, closed_at)
    SELECT order_id, customer_id, status, total, closed_at
    FROM orders
    WHERE status = 'CLOSED'
      AND closed_at < v_cutoff
      AND ROWNUM <= p_batch;

    EXIT WHEN SQL%ROWCOUNT = 0;

    DELETE FROM orders o
    WHERE o.status = 'CLOSED'
      AND o.closed_at < v_cutoff
      AND EXISTS (SELECT 1 FROM orders_archive a WHERE a.order_id = o.order_id);

    v_moved := v_moved + SQL%ROWCOUNT;
    COMMIT;
  END LOOP;

  DBMS_OUTPUT.PUT_LINE('archived ' || v_moved || ' orders older than ' || TO_CHAR(v_cutoff, 'YYYY-MM-DD'));
EXCEPTION
  WHEN OTHERS THEN
    ROLLBACK;
    RAISE;
END archive_closed_orders;
/

GRANT EXECUTE ON archive_closed_orders TO batch_runner;
