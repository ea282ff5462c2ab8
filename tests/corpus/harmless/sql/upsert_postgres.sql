INSERT INTO inventory (sku, warehouse_id, qty, updated_at)
VALUES ('A-100', 3, 25, now()), ('B-200', 3, 0, now())
ON CONFLICT (sku, warehouse_id)
DO UPDATE SET qty = EXCLUDED.qty, updated_at = EXCLUDED.updated_at;

DELETE FROM inventory WHERE qty = 0 AND updated_at < now() - interval '180 days';
