-- Spark SQL: the bronze_legacy database was replaced by the Unity catalog tables
SHOW TABLES IN bronze_legacy;

-- expect: destructive
DROP DATABASE IF EXISTS bronze_legacy CASCADE;
