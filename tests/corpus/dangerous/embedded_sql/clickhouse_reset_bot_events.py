"""Bot filter v2 shipped; recompute is_bot for all events by clearing and re-running the backfill."""
from clickhouse_driver import Client

client = Client(host="ch-0.analytics.internal", database="analytics", settings={"mutations_sync": 2})

total = client.execute("SELECT count() FROM events WHERE is_bot = 1")[0][0]
print(f"{total} events currently flagged as bot")

# expect: destructive
client.execute("ALTER TABLE events DELETE WHERE 1 = 1")

client.execute(
    "INSERT INTO events SELECT * REPLACE (is_bot_v2(user_agent) AS is_bot) FROM events_backup_2025_03"
)
print(client.execute("SELECT is_bot, count() FROM events GROUP BY is_bot"))
