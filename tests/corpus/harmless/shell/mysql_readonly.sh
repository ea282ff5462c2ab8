#!/bin/bash
set -e
mysql -h db.replica.internal -u reader shop -e "SELECT COUNT(*) FROM orders WHERE created_at >= CURDATE();"
mysql -h db.replica.internal -u reader shop -e "SHOW TABLE STATUS LIKE 'orders'\G" | grep Rows
mysqldump --single-transaction --no-data -h db.replica.internal -u reader shop > schema/shop_schema.sql
