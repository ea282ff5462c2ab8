#!/bin/sh
MYSQL="mysql -h mysql.internal -u ops -p$MYSQL_PASSWORD jobs"

$MYSQL -e "SELECT status, COUNT(*) FROM queue GROUP BY status"
# expect: destructive
mysql -h mysql.internal -u ops -p"$MYSQL_PASSWORD" jobs -e "TRUNCATE TABLE queue; TRUNCATE TABLE queue_failures;"
