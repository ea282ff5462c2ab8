"""Repository layer in SQLAlchemy 2.0 style."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.models import LoginSession, User


class UserRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def by_email(self, email: str) -> User | None:
        return self.session.scalar(select(User).where(User.email == email.lower()))

    def active(self, limit: int = 100) -> list[User]:
        stmt = select(User).where(User.deactivated_at.is_(None)).order_by(User.id).limit(limit)
        return list(self.session.scalars(stmt))

    def deactivate(self, user_id: int) -> None:
        self.session.execute(
            update(User).where(User.id == user_id).values(deactivated_at=datetime.now(timezone.utc))
        )

    def remove(self, user: User) -> None:
        self.session.delete(user)

    def purge_expired_logins(self, older_than: timedelta = timedelta(days=30)) -> int:
        cutoff = datetime.now(timezone.utc) - older_than
        result = self.session.execute(delete(LoginSession).where(LoginSession.expires_at < cutoff))
        return result.rowcount
