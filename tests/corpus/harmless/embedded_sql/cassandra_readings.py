from cassandra.cluster import Cluster

cluster = Cluster(["cass1.internal", "cass2.internal"])
session = cluster.connect("metrics")

insert = session.prepare(
    "INSERT INTO readings (sensor_id, ts, value) VALUES (?, ?, ?) USING TTL 604800"
)


def record(sensor_id, ts, value):
    session.execute(insert, (sensor_id, ts, value))


def forget_sensor(sensor_id):
    session.execute("DELETE FROM readings WHERE sensor_id = %s", (sensor_id,))


def latest(sensor_id):
    return session.execute(
        "SELECT ts, value FROM readings WHERE sensor_id = %s LIMIT 10", (sensor_id,)
    ).all()
