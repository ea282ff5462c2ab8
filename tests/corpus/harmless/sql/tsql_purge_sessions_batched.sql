-- Clean up old data: expired web sessions, deleted in batches to keep the log small (SQL Server).

DECLARE @cutoff DATETIME2 = DATEADD(DAY, -30, SYSUTCDATETIME());
DECLARE @batch INT = 5000;
DECLARE @rows INT = 1;

WHILE @rows > 0
BEGIN
    DELETE TOP (@batch) FROM dbo.WebSessions
    WHERE ExpiresAt < @cutoff;

    SET @rows = @@ROWCOUNT;
    WAITFOR DELAY '00:00:01';
END;

SELECT COUNT(*) AS remaining FROM dbo.WebSessions;
