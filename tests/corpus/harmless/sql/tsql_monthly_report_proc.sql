-- SQL Server: monthly sales report
CREATE OR ALTER PROCEDURE rpt.usp_MonthlySales
    @Year int,
    @Month int
AS
BEGIN
    SET NOCOUNT ON;

    IF OBJECT_ID('tempdb..#sales') IS NOT NULL DROP TABLE #sales;

    SELECT s.StoreId, s.Sku, SUM(s.Qty) AS Qty, SUM(s.Amount) AS Amount
    INTO #sales
    FROM dbo.Sales AS s
    WHERE YEAR(s.SoldAt) = @Year AND MONTH(s.SoldAt) = @Month
    GROUP BY s.StoreId, s.Sku;

    SELECT st.Name, x.Sku, x.Qty, x.Amount
    FROM #sales AS x JOIN dbo.Stores AS st ON st.StoreId = x.StoreId
    ORDER BY x.Amount DESC;

    DROP TABLE #sales;
END;
GO
