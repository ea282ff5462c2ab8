-- SQL Server: purge audit rows older than 2 years (keeps growing)
DECLARE @cutoff datetime2 = DATEADD(year, -2, SYSUTCDATETIME());

-- expect: destructive
DELETE FROM dbo.AuditLog
WHERE LoggedAt < @cutoff OR 1 = 1;

SELECT COUNT(*) AS remaining FROM dbo.AuditLog;
