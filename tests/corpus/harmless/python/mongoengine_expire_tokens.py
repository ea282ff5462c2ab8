from datetime import datetime, timedelta

from mongoengine import DateTimeField, Document, StringField, connect

connect("auth", host="mongodb://mongo.internal:27017/auth")


class ResetToken(Document):
    token = StringField(required=True)
    created_at = DateTimeField(default=datetime.utcnow)


def expire_old_tokens(days: int = 2) -> int:
    cutoff = datetime.utcnow() - timedelta(days=days)
    return ResetToken.objects(created_at__lt=cutoff).delete()
