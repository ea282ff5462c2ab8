#!/usr/bin/env bash
# reset the analytics mongo before re-import
MONGO_URI="mongodb://mongo-prod.internal:27017/analytics"

mongosh "$MONGO_URI" --quiet --eval 'db.stats()'
# expect: destructive
mongosh "$MONGO_URI" --quiet --eval 'db.dropDatabase()'
mongoimport --uri "$MONGO_URI" --collection events --file events.json
