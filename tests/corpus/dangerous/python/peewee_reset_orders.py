from peewee import CharField, DecimalField, ForeignKeyField, Model, PostgresqlDatabase

db = PostgresqlDatabase("shop", host="db.internal", user="shop")


class BaseModel(Model):
    class Meta:
        database = db


class Customer(BaseModel):
    email = CharField(unique=True)


class Order(BaseModel):
    customer = ForeignKeyField(Customer, backref="orders")
    total = DecimalField()
    status = CharField()


def reset_orders():
    with db.atomic():
        # expect: destructive
        Order.delete().execute()


if __name__ == "__main__":
    db.connect()
    reset_orders()
