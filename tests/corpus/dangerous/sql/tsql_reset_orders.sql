-- T-SQL: reset the order tables on the reporting replica
USE ReportingDB;
GO

IF OBJECT_ID('dbo.OrderLines', 'U') IS NOT NULL
-- expect: destructive
    DROP TABLE dbo.OrderLines;
GO

-- expect: destructive
TRUNCATE TABLE dbo.AuditLog;
GO

SELECT COUNT(*) AS remaining FROM dbo.Orders;
GO
