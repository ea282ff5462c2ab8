"""Add pagination to the /orders API (limit/offset plus a total count)."""
from __future__ import annotations

from typing import Generic, TypeVar

from fastapi import Depends, FastAPI, Query
from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .db import get_session
from .models import Order

T = TypeVar("T")
app = FastAPI()


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class OrderOut(BaseModel):
    id: int
    status: str
    total_amount: float

    model_config = {"from_attributes": True}


@app.get("/orders", response_model=Page[OrderOut])
def list_orders(
    status: str | None = None,
    limit: int = Query(50, ge=1, le=500),
    offset: int = Query(0, ge=0),
    session: Session = Depends(get_session),
) -> Page[OrderOut]:
    stmt = select(Order)
    if status:
        stmt = stmt.where(Order.status == status)
    total = session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = session.scalars(stmt.order_by(Order.id).limit(limit).offset(offset)).all()
    return Page(items=[OrderOut.model_validate(r) for r in rows], total=total or 0, limit=limit, offset=offset)
