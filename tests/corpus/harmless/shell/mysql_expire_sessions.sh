#!/bin/sh
mysql -h mysql.internal -u ops -p"$MYSQL_PASSWORD" app \
  -e "DELETE FROM sessions WHERE last_seen < NOW() - INTERVAL 14 DAY LIMIT 10000"
mysql -h mysql.internal -u ops -p"$MYSQL_PASSWORD" app -e "SHOW PROCESSLIST"
