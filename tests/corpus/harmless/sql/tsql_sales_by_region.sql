-- SQL Server: regional sales with running totals for the monthly pack
WITH monthly AS (
    SELECT r.RegionName,
           DATEFROMPARTS(YEAR(o.OrderDate), MONTH(o.OrderDate), 1) AS MonthStart,
           SUM(ol.Quantity * ol.UnitPrice) AS Revenue
    FROM Sales.Orders AS o
    JOIN Sales.OrderLines AS ol ON ol.OrderID = o.OrderID
    JOIN Sales.Customers AS c ON c.CustomerID = o.CustomerID
    JOIN Application.Regions AS r ON r.RegionID = c.RegionID
    WHERE o.OrderDate >= DATEADD(YEAR, -1, CAST(GETDATE() AS date))
    GROUP BY r.RegionName, DATEFROMPARTS(YEAR(o.OrderDate), MONTH(o.OrderDate), 1)
)
SELECT RegionName,
       MonthStart,
       Revenue,
       SUM(Revenue) OVER (PARTITION BY RegionName ORDER BY MonthStart
                          ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS RunningRevenue
FROM monthly
ORDER BY RegionName, MonthStart;
