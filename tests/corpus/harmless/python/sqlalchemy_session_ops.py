from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Attachment, Draft


def discard_draft(session: Session, draft_id: int) -> None:
    draft = session.get(Draft, draft_id)
    if draft is not None:
        session.delete(draft)
        session.commit()


def remove_orphan_attachments(session: Session) -> int:
    orphans = session.scalars(select(Attachment).where(Attachment.message_id.is_(None))).all()
    for att in orphans:
        session.delete(att)
    session.commit()
    return len(orphans)
