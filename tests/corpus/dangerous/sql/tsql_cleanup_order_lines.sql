-- SQL Server: clear staging order lines before the nightly import
SET NOCOUNT ON;

BEGIN TRANSACTION;
-- expect: destructive
DELETE FROM dbo.OrderLines WHERE 1 = 1;
-- expect: destructive
TRUNCATE TABLE dbo.OrderHeaders;
COMMIT TRANSACTION;

SELECT COUNT(*) AS remaining FROM dbo.OrderLines;
