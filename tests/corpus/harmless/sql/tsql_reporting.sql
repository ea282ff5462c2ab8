-- T-SQL: monthly report with a temp table
SET NOCOUNT ON;

IF OBJECT_ID('tempdb..#MonthlySales') IS NOT NULL
    DROP TABLE #MonthlySales;

SELECT CustomerID, DATEFROMPARTS(YEAR(OrderDate), MONTH(OrderDate), 1) AS Month, SUM(Total) AS Sales
INTO #MonthlySales
FROM dbo.Orders
WHERE OrderDate >= DATEADD(MONTH, -12, GETDATE())
GROUP BY CustomerID, DATEFROMPARTS(YEAR(OrderDate), MONTH(OrderDate), 1);

SELECT TOP 20 * FROM #MonthlySales ORDER BY Sales DESC;

DELETE FROM dbo.Staging_Import WHERE ImportedAt < DATEADD(DAY, -30, GETDATE());
DROP TABLE #MonthlySales;
