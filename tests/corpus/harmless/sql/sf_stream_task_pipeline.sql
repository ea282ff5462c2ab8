-- Snowflake: continuous load of raw orders into the silver layer with a stream and a task.
USE ROLE etl_role;
USE WAREHOUSE etl_wh;
USE SCHEMA shop.silver;

COPY INTO shop.raw.orders_landing
FROM @shop.raw.orders_s3_stage/2025/
FILE_FORMAT = (TYPE = JSON)
ON_ERROR = 'SKIP_FILE';

CREATE STREAM IF NOT EXISTS orders_landing_stream ON TABLE shop.raw.orders_landing;

CREATE OR REPLACE TASK merge_orders_task
  WAREHOUSE = etl_wh
  SCHEDULE = '15 MINUTE'
  WHEN SYSTEM$STREAM_HAS_DATA('orders_landing_stream')
AS
MERGE INTO shop.silver.orders t
USING (
  SELECT v:order_id::NUMBER AS order_id, v:status::STRING AS status, v:total::NUMBER(12,2) AS total,
         v:updated_at::TIMESTAMP_NTZ AS updated_at
  FROM orders_landing_stream
  WHERE METADATA$ACTION = 'INSERT'
) s
ON t.order_id = s.order_id
WHEN MATCHED AND s.updated_at > t.updated_at THEN
  UPDATE SET status = s.status, total = s.total, updated_at = s.updated_at
WHEN NOT MATCHED THEN
  INSERT (order_id, status, total, updated_at) VALUES (s.order_id, s.status, s.total, s.updated_at);

ALTER TASK merge_orders_task RESUME;

SHOW TASKS LIKE 'MERGE_ORDERS_TASK';
