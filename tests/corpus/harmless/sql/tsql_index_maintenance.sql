-- Nightly index maintenance (SQL Server): reorganize between 10% and 30%
-- fragmentation, rebuild above 30%. Nothing is dropped.
USE Sales;
GO

SET NOCOUNT ON;

DECLARE @work TABLE (SchemaName SYSNAME, TableName SYSNAME, IndexName SYSNAME, Frag FLOAT);

INSERT INTO @work
SELECT s.name, t.name, i.name, ps.avg_fragmentation_in_percent
FROM sys.dm_db_index_physical_stats(DB_ID(), NULL, NULL, NULL, 'LIMITED') AS ps
JOIN sys.indexes AS i ON i.object_id = ps.object_id AND i.index_id = ps.index_id
JOIN sys.tables AS t ON t.object_id = i.object_id
JOIN sys.schemas AS s ON s.schema_id = t.schema_id
WHERE ps.avg_fragmentation_in_percent > 10
  AND ps.page_count > 1000
  AND i.name IS NOT NULL;

DECLARE @schema SYSNAME, @table SYSNAME, @index SYSNAME, @frag FLOAT, @sql NVARCHAR(MAX);

DECLARE work_cursor CURSOR LOCAL FAST_FORWARD FOR
    SELECT SchemaName, TableName, IndexName, Frag FROM @work;
OPEN work_cursor;
FETCH NEXT FROM work_cursor INTO @schema, @table, @index, @frag;
WHILE @@FETCH_STATUS = 0
BEGIN
    IF @frag > 30
        ALTER INDEX ALL ON dbo.Orders REBUILD WITH (ONLINE = ON);
    ELSE
        ALTER INDEX ALL ON dbo.Orders REORGANIZE;
    PRINT CONCAT(@schema, '.', @table, '.', @index, ' at ', @frag, '%');
    FETCH NEXT FROM work_cursor INTO @schema, @table, @index, @frag;
END;
CLOSE work_cursor;
DEALLOCATE work_cursor;

UPDATE STATISTICS dbo.Orders WITH FULLSCAN;
GO
