-- duckdb: apply the 2024 price increase to the catalog
ATTACH 'catalog.duckdb' AS cat;

-- expect: destructive
UPDATE cat.products SET price = price * 1.05 WHERE sku = sku;

SELECT COUNT(*) FROM cat.products;
