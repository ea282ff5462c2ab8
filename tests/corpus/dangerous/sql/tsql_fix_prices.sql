-- Fix the prices after the supplier's 10% increase (SQL Server).
-- Run in SSMS against ShopDB.

USE ShopDB;
GO

BEGIN TRANSACTION;

SELECT TOP 20 ProductID, Name, ListPrice FROM dbo.Products ORDER BY ListPrice DESC;

-- expect: destructive
UPDATE dbo.Products
SET ListPrice = ROUND(ListPrice * 1.10, 2),
    ModifiedDate = SYSUTCDATETIME();

UPDATE dbo.Products SET ListPrice = 0.99 WHERE ListPrice < 0.99 AND Discontinued = 0;

COMMIT TRANSACTION;
GO
