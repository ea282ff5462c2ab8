-- Snowflake: incremental load of orders through a temporary staging table
CREATE TEMPORARY TABLE stage_orders AS
SELECT * FROM raw.shop.orders_landing WHERE _loaded_at > DATEADD(hour, -2, CURRENT_TIMESTAMP());

MERGE INTO analytics.core.orders t
USING stage_orders s ON t.order_id = s.order_id
WHEN MATCHED AND s.updated_at > t.updated_at THEN UPDATE SET t.status = s.status, t.updated_at = s.updated_at
WHEN NOT MATCHED THEN INSERT (order_id, status, updated_at) VALUES (s.order_id, s.status, s.updated_at);

DROP TABLE IF EXISTS stage_orders;
