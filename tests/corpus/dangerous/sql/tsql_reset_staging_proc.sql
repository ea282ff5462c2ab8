-- SQL Server: procedure called by the nightly SSIS package before the load
CREATE OR ALTER PROCEDURE etl.usp_ResetSalesStaging
AS
BEGIN
    SET NOCOUNT ON;

    IF OBJECT_ID('etl.SalesStaging', 'U') IS NOT NULL
    BEGIN
        -- expect: destructive
        TRUNCATE TABLE etl.SalesStaging;
    END

    INSERT INTO etl.LoadLog (Step, LoggedAt) VALUES ('reset', SYSUTCDATETIME());
END;
GO

EXEC etl.usp_ResetSalesStaging;
GO
