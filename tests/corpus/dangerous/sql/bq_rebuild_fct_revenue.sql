-- BigQuery scheduled query: rebuild revenue fact from scratch every night
DECLARE run_date DATE DEFAULT CURRENT_DATE();

-- expect: destructive
CREATE OR REPLACE TABLE `acme-analytics.finance.fct_revenue`
PARTITION BY invoice_date AS
SELECT
  i.invoice_id,
  i.customer_id,
  DATE(i.issued_at) AS invoice_date,
  SUM(l.amount) AS amount
FROM `acme-analytics.raw.invoices` AS i
JOIN `acme-analytics.raw.invoice_lines` AS l USING (invoice_id)
GROUP BY 1, 2, 3;
