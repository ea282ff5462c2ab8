/*
  Reload invoices from the ERP extract (SQL Server 2019).
  Called by the nightly SQL Agent job "ERP invoice sync".
*/
USE Billing;
GO

SET NOCOUNT ON;
SET XACT_ABORT ON;
GO

DECLARE @loaded TABLE (InvoiceId INT PRIMARY KEY);

BEGIN TRY
    BEGIN TRANSACTION;

    -- clear what was loaded last night before reloading everything
    -- expect: destructive
    DELETE FROM dbo.InvoiceLines;

    INSERT INTO dbo.InvoiceLines (InvoiceId, LineNo, Sku, Qty, UnitPrice)
    OUTPUT inserted.InvoiceId INTO @loaded
    SELECT InvoiceId, LineNo, Sku, Qty, UnitPrice
    FROM erp.InvoiceLinesExtract;

    COMMIT TRANSACTION;
END TRY
BEGIN CATCH
    IF @@TRANCOUNT > 0 ROLLBACK TRANSACTION;
    THROW;
END CATCH;
GO

SELECT COUNT(*) AS lines_loaded FROM dbo.InvoiceLines;
GO
