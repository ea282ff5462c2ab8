"""Recreate the `user_sessions` DynamoDB table with the new key schema (sk = session_id)."""
import time

import boto3

TABLE = "user_sessions"
dynamodb = boto3.client("dynamodb", region_name="us-east-1")


def wait_gone(name: str) -> None:
    waiter = dynamodb.get_waiter("table_not_exists")
    waiter.wait(TableName=name)


def recreate() -> None:
    existing = dynamodb.list_tables()["TableNames"]
    if TABLE in existing:
        print(f"Deleting {TABLE} ...")
        # expect: destructive
        dynamodb.delete_table(TableName=TABLE)
        wait_gone(TABLE)
    dynamodb.create_table(
        TableName=TABLE,
        KeySchema=[{"AttributeName": "user_id", "KeyType": "HASH"},
                   {"AttributeName": "session_id", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "user_id", "AttributeType": "S"},
                              {"AttributeName": "session_id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    time.sleep(5)
    print("created", TABLE)


if __name__ == "__main__":
    recreate()
