from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Draft(Base):
    __tablename__ = "drafts"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


engine = create_engine("postgresql+psycopg://app@db.internal/app")


def discard_draft(draft_id: int) -> None:
    with Session(engine) as session:
        draft = session.get(Draft, draft_id)
        if draft is not None:
            session.delete(draft)
            session.commit()


def stale_drafts(days: int = 90) -> list[Draft]:
    cutoff = datetime.utcnow() - timedelta(days=days)
    with Session(engine) as session:
        return list(session.scalars(select(Draft).where(Draft.updated_at < cutoff)))
