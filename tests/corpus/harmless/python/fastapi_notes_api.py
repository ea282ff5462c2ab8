"""Notes service: CRUD endpoints."""
from typing import List

from fastapi import APIRouter, Depends, FastAPI, HTTPException, status
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Note, Tag

app = FastAPI(title="notes")
router = APIRouter(prefix="/notes", tags=["notes"])


class NoteIn(BaseModel):
    title: str
    body: str = ""


class NoteOut(NoteIn):
    id: int

    class Config:
        from_attributes = True


@router.get("/", response_model=List[NoteOut])
def list_notes(db: Session = Depends(get_session)):
    return db.scalars(select(Note).order_by(Note.id)).all()


@router.post("/", response_model=NoteOut, status_code=status.HTTP_201_CREATED)
def create_note(note: NoteIn, db: Session = Depends(get_session)):
    obj = Note(**note.model_dump())
    db.add(obj)
    db.commit()
    db.refresh(obj)
    return obj


@router.delete("/{note_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_note(note_id: int, db: Session = Depends(get_session)):
    note = db.get(Note, note_id)
    if note is None:
        raise HTTPException(status_code=404, detail="Note not found")
    db.delete(note)
    db.commit()


@router.delete("/{note_id}/tags/{tag_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_tag(note_id: int, tag_id: int, db: Session = Depends(get_session)):
    note = db.get(Note, note_id)
    tag = db.get(Tag, tag_id)
    if note is None or tag is None:
        raise HTTPException(status_code=404)
    note.tags.remove(tag)
    db.commit()


app.include_router(router)
