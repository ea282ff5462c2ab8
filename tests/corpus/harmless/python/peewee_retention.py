import datetime

from peewee import CharField, DateTimeField, Model, SqliteDatabase

db = SqliteDatabase("events.db")


class Event(Model):
    name = CharField()
    created = DateTimeField()

    class Meta:
        database = db


def prune(days: int = 180) -> int:
    cutoff = datetime.datetime.now() - datetime.timedelta(days=days)
    return Event.delete().where(Event.created < cutoff).execute()


if __name__ == "__main__":
    db.connect()
    print("pruned", prune())
