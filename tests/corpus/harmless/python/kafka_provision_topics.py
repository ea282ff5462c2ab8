from confluent_kafka.admin import AdminClient, NewTopic

admin = AdminClient({"bootstrap.servers": "kafka.internal:9092"})


def ensure_topics(names: list[str]) -> None:
    existing = set(admin.list_topics(timeout=10).topics)
    missing = [NewTopic(n, num_partitions=6, replication_factor=3) for n in names if n not in existing]
    if not missing:
        print("nothing to create; we never delete topics here")
        return
    for topic, future in admin.create_topics(missing).items():
        future.result()
        print("created", topic)


ensure_topics(["orders.v2", "payments.v2"])
