import boto3
from dagster import Definitions, OpExecutionContext, job, op


@op
def snapshot_name(context: OpExecutionContext) -> str:
    return "analytics-replica"


@op
def remove_replica(context: OpExecutionContext, identifier: str) -> None:
    rds = boto3.client("rds", region_name="us-east-1")
    context.log.info(f"deleting {identifier}")
    # expect: destructive
    rds.delete_db_instance(
        DBInstanceIdentifier=identifier,
        SkipFinalSnapshot=True,
        DeleteAutomatedBackups=True,
    )


@job
def teardown_replica():
    remove_replica(snapshot_name())


defs = Definitions(jobs=[teardown_replica])
