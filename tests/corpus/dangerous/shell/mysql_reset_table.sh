#!/bin/bash
MYSQL="mysql -h db.prod.internal -u admin -p${MYSQL_PWD}"
echo "resetting carts"
# expect: destructive
mysql -h db.prod.internal -u admin shop -e "TRUNCATE TABLE carts; DELETE FROM cart_items;"
