"""ClickHouse retention: delete old debug events, compact the month, report sizes."""
from datetime import date

from clickhouse_connect import get_client

client = get_client(host="ch-0.analytics.internal", username="etl", database="analytics")

client.command("ALTER TABLE events DELETE WHERE event_name = 'debug_ping' AND event_date < today() - 30")
client.command(
    "ALTER TABLE events DELETE WHERE event_date < {cutoff:Date}",
    parameters={"cutoff": date(date.today().year - 2, 1, 1)},
)

month = date.today().strftime("%Y%m")
client.command(f"OPTIMIZE TABLE events PARTITION {month} FINAL")

result = client.query(
    "SELECT partition, sum(rows), formatReadableSize(sum(bytes_on_disk)) FROM system.parts "
    "WHERE database = 'analytics' AND table = 'events' AND active GROUP BY partition ORDER BY partition"
)
for row in result.result_rows:
    print(*row)
