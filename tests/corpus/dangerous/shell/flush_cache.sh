#!/bin/sh
REDIS_HOST=${REDIS_HOST:-redis.prod.internal}
echo "flushing redis on $REDIS_HOST"
# expect: destructive
redis-cli -h "$REDIS_HOST" -p 6379 FLUSHALL
echo ok
