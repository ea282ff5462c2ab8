-- Upsert the daily customer snapshot into the silver table (Databricks SQL, Delta).

MERGE INTO silver.customers AS t
USING bronze.customers_daily AS s
  ON t.customer_id = s.customer_id
WHEN MATCHED AND s.updated_at > t.updated_at THEN
  UPDATE SET t.email = s.email, t.plan = s.plan, t.country = s.country, t.updated_at = s.updated_at
WHEN NOT MATCHED THEN
  INSERT (customer_id, email, plan, country, updated_at)
  VALUES (s.customer_id, s.email, s.plan, s.country, s.updated_at);

OPTIMIZE silver.customers ZORDER BY (customer_id);
