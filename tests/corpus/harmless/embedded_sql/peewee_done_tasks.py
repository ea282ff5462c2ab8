from datetime import datetime, timedelta

from peewee import BooleanField, DateTimeField, Model, SqliteDatabase, TextField

db = SqliteDatabase("tasks.db")


class Task(Model):
    title = TextField()
    done = BooleanField(default=False)
    finished_at = DateTimeField(null=True)

    class Meta:
        database = db


def archive_done(days: int = 30) -> int:
    cutoff = datetime.now() - timedelta(days=days)
    return Task.delete().where((Task.done == True) & (Task.finished_at < cutoff)).execute()


def stats():
    return db.execute_sql("SELECT done, count(*) FROM task GROUP BY done").fetchall()
