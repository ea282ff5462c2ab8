-- sales_reporting_procs.sql (SQL Server)
-- Reporting procedures; each uses #temp tables that are dropped at the end.

CREATE OR ALTER PROCEDURE rpt.usp_SalesByRegion
    @FromDate date,
    @ToDate date
AS
BEGIN
    SET NOCOUNT ON;

    IF OBJECT_ID('tempdb..#orders') IS NOT NULL DROP TABLE #orders;

    SELECT o.OrderID, o.OrderDate, o.CustomerID, c.RegionID, o.TotalAmount
    INTO #orders
    FROM dbo.Orders o
    JOIN dbo.Customers c ON c.CustomerID = o.CustomerID
    WHERE o.OrderDate >= @FromDate AND o.OrderDate < @ToDate
      AND o.IsDeleted = 0;

    DELETE FROM #orders WHERE TotalAmount <= 0;

    SELECT r.RegionName,
           COUNT(*) AS Orders,
           SUM(t.TotalAmount) AS Revenue,
           AVG(t.TotalAmount) AS AvgOrder
    FROM #orders t
    JOIN dbo.Regions r ON r.RegionID = t.RegionID
    GROUP BY r.RegionName
    ORDER BY Revenue DESC;

    DROP TABLE #orders;
END;
GO

CREATE OR ALTER PROCEDURE rpt.usp_TopCustomers
    @Year int,
    @Top int = 20
AS
BEGIN
    SET NOCOUNT ON;

    CREATE TABLE #cust (CustomerID int PRIMARY KEY, Revenue money, Orders int);

    INSERT INTO #cust (CustomerID, Revenue, Orders)
    SELECT CustomerID, SUM(TotalAmount), COUNT(*)
    FROM dbo.Orders
    WHERE YEAR(OrderDate) = @Year AND IsDeleted = 0
    GROUP BY CustomerID;

    SELECT TOP (@Top) c.CompanyName, t.Revenue, t.Orders
    FROM #cust t JOIN dbo.Customers c ON c.CustomerID = t.CustomerID
    ORDER BY t.Revenue DESC;

    DROP TABLE #cust;
END;
GO

CREATE OR ALTER PROCEDURE rpt.usp_MarkReportRun
    @ReportName nvarchar(100)
AS
BEGIN
    UPDATE rpt.ReportRuns SET LastRunAt = SYSUTCDATETIME() WHERE ReportName = @ReportName;
    IF @@ROWCOUNT = 0
        INSERT INTO rpt.ReportRuns (ReportName, LastRunAt) VALUES (@ReportName, SYSUTCDATETIME());
END;
GO
