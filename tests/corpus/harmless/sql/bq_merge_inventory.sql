-- BigQuery: apply today's inventory deltas
MERGE `acme-analytics.ops.inventory` AS t
USING (
  SELECT sku, warehouse_id, SUM(delta) AS delta
  FROM `acme-analytics.raw.inventory_moves`
  WHERE DATE(moved_at) = CURRENT_DATE()
  GROUP BY sku, warehouse_id
) AS s
ON t.sku = s.sku AND t.warehouse_id = s.warehouse_id
WHEN MATCHED AND t.on_hand + s.delta <= 0 AND t.discontinued THEN
  DELETE
WHEN MATCHED THEN
  UPDATE SET on_hand = t.on_hand + s.delta, updated_at = CURRENT_TIMESTAMP()
WHEN NOT MATCHED THEN
  INSERT (sku, warehouse_id, on_hand, updated_at) VALUES (s.sku, s.warehouse_id, s.delta, CURRENT_TIMESTAMP());
