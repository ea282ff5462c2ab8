/*
  Upsert the product catalogue from the supplier feed (SQL Server).
  #stage and @changes live only for this session.
*/
USE Catalog;
GO

SET NOCOUNT ON;
SET XACT_ABORT ON;
GO

DROP TABLE IF EXISTS #stage;
CREATE TABLE #stage (
    Sku        NVARCHAR(40) NOT NULL PRIMARY KEY,
    Name       NVARCHAR(200) NOT NULL,
    ListPrice  DECIMAL(12, 2) NOT NULL,
    IsActive   BIT NOT NULL
);

BULK INSERT #stage
FROM 'D:\feeds\supplier\products.csv'
WITH (FIRSTROW = 2, FIELDTERMINATOR = ',', ROWTERMINATOR = '\n', TABLOCK);

DECLARE @changes TABLE (Action NVARCHAR(10), Sku NVARCHAR(40));

BEGIN TRY
    BEGIN TRANSACTION;

    MERGE dbo.Products AS t
    USING #stage AS s
        ON t.Sku = s.Sku
    WHEN MATCHED AND (t.Name <> s.Name OR t.ListPrice <> s.ListPrice OR t.IsActive <> s.IsActive) THEN
        UPDATE SET t.Name = s.Name, t.ListPrice = s.ListPrice, t.IsActive = s.IsActive, t.UpdatedAt = SYSUTCDATETIME()
    WHEN NOT MATCHED BY TARGET THEN
        INSERT (Sku, Name, ListPrice, IsActive, UpdatedAt)
        VALUES (s.Sku, s.Name, s.ListPrice, s.IsActive, SYSUTCDATETIME())
    WHEN NOT MATCHED BY SOURCE AND t.IsActive = 1 THEN
        UPDATE SET t.IsActive = 0, t.UpdatedAt = SYSUTCDATETIME()
    OUTPUT $action, inserted.Sku INTO @changes;

    COMMIT TRANSACTION;
END TRY
BEGIN CATCH
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    DECLARE @msg NVARCHAR(4000) = ERROR_MESSAGE();
    RAISERROR (@msg, 16, 1);
END CATCH;

SELECT Action, COUNT(*) AS n FROM @changes GROUP BY Action;

DROP TABLE #stage;
GO
