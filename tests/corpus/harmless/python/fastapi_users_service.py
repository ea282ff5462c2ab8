"""User management microservice (FastAPI + SQLAlchemy 2.0 ORM).

Deleting a user is a soft delete: `deleted_at` is set and the e-mail is
scrambled so it can be reused. Hard deletion (GDPR) is handled by the
privacy team's workflow, not by this API.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets
from typing import Annotated, Iterator

from fastapi import Depends, FastAPI, HTTPException, Query, status
from pydantic import BaseModel, EmailStr
from sqlalchemy import Boolean, DateTime, String, create_engine, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///./users.db"), pool_pre_ping=True)
SessionLocal = sessionmaker(bind=engine, expire_on_commit=False)
app = FastAPI(title="users")


class Base(DeclarativeBase):
    pass


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, server_default=func.now())
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class UserIn(BaseModel):
    email: EmailStr
    display_name: str
    password: str


class UserPatch(BaseModel):
    display_name: str | None = None
    is_admin: bool | None = None


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    is_admin: bool
    created_at: dt.datetime

    model_config = {"from_attributes": True}


def get_db() -> Iterator[Session]:
    with SessionLocal() as session:
        yield session


DB = Annotated[Session, Depends(get_db)]


def hash_password(password: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.scrypt(password.encode(), salt=salt.encode(), n=2**14, r=8, p=1).hex()
    return f"scrypt${salt}${digest}"


def active_user(db: Session, user_id: int) -> User:
    user = db.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "user not found")
    return user


@app.get("/users", response_model=list[UserOut])
def list_users(db: DB, q: str | None = None, limit: int = Query(50, le=500), offset: int = 0):
    stmt = select(User).where(User.deleted_at.is_(None)).order_by(User.id).limit(limit).offset(offset)
    if q:
        stmt = stmt.where(User.display_name.ilike(f"%{q}%") | User.email.ilike(f"%{q}%"))
    return db.scalars(stmt).all()


@app.post("/users", response_model=UserOut, status_code=201)
def create_user(body: UserIn, db: DB):
    if db.scalar(select(User).where(User.email == body.email.lower())):
        raise HTTPException(409, "email already registered")
    user = User(email=body.email.lower(), display_name=body.display_name, password_hash=hash_password(body.password))
    db.add(user)
    db.commit()
    return user


@app.get("/users/{user_id}", response_model=UserOut)
def get_user(user_id: int, db: DB):
    return active_user(db, user_id)


@app.patch("/users/{user_id}", response_model=UserOut)
def update_user(user_id: int, body: UserPatch, db: DB):
    user = active_user(db, user_id)
    for field, value in body.model_dump(exclude_unset=True).items():
        setattr(user, field, value)
    db.commit()
    return user


@app.delete("/users/{user_id}", status_code=204)
def delete_user(user_id: int, db: DB):
    """Soft-delete one user."""
    user = active_user(db, user_id)
    user.deleted_at = dt.datetime.utcnow()
    user.email = f"deleted+{user.id}+{secrets.token_hex(4)}@invalid"
    db.commit()


@app.delete("/users/{user_id}/sessions/{session_id}", status_code=204)
def delete_session(user_id: int, session_id: str, db: DB):
    active_user(db, user_id)
    # sessions live in redis; the gateway revokes them on this event
    return None


@app.on_event("startup")
def create_tables() -> None:
    Base.metadata.create_all(engine)
