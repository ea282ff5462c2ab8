"""Fix for "ValidationException: key schema mismatch" on the sessions table:
recreate it with the new composite key.
"""
import boto3

TABLE = "shop-sessions"
dynamodb = boto3.client("dynamodb", region_name="eu-west-1")


def describe() -> dict:
    return dynamodb.describe_table(TableName=TABLE)["Table"]


def recreate() -> None:
    info = describe()
    print("current key schema:", info["KeySchema"], "items:", info["ItemCount"])
    # expect: destructive
    dynamodb.delete_table(TableName=TABLE)
    dynamodb.get_waiter("table_not_exists").wait(TableName=TABLE)
    dynamodb.create_table(
        TableName=TABLE,
        AttributeDefinitions=[
            {"AttributeName": "user_id", "AttributeType": "S"},
            {"AttributeName": "session_id", "AttributeType": "S"},
        ],
        KeySchema=[
            {"AttributeName": "user_id", "KeyType": "HASH"},
            {"AttributeName": "session_id", "KeyType": "RANGE"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.get_waiter("table_exists").wait(TableName=TABLE)
    print("recreated", TABLE)


if __name__ == "__main__":
    recreate()
