"""Tenant provisioning API (FastAPI).

Each tenant gets its own Postgres schema `tenant_<slug>` cloned from the
template schema. Offboarding removes the tenant's schema.
"""
from __future__ import annotations

import logging
import os
import re
from contextlib import contextmanager
from typing import Iterator

from fastapi import Depends, FastAPI, HTTPException, status
from pydantic import BaseModel, Field
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection

log = logging.getLogger("tenants")

engine = create_engine(os.environ.get("DATABASE_URL", "postgresql://platform@db.internal/platform"), pool_size=5)
app = FastAPI(title="tenants")

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]{2,40}$")
TEMPLATE_TABLES = ("projects", "documents", "comments", "attachments")


class TenantIn(BaseModel):
    slug: str = Field(pattern=SLUG_RE.pattern)
    name: str
    plan: str = "team"


class TenantOut(BaseModel):
    id: int
    slug: str
    name: str
    plan: str
    active: bool


@contextmanager
def transaction() -> Iterator[Connection]:
    with engine.begin() as conn:
        yield conn


def get_conn() -> Iterator[Connection]:
    with transaction() as conn:
        yield conn


def schema_name(slug: str) -> str:
    if not SLUG_RE.match(slug):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_ENTITY, "invalid slug")
    return f"tenant_{slug}"


@app.get("/tenants", response_model=list[TenantOut])
def list_tenants(conn: Connection = Depends(get_conn)):
    rows = conn.execute(text("SELECT id, slug, name, plan, active FROM platform.tenants ORDER BY slug")).mappings()
    return [TenantOut(**r) for r in rows]


@app.post("/tenants", response_model=TenantOut, status_code=201)
def create_tenant(body: TenantIn, conn: Connection = Depends(get_conn)):
    schema = schema_name(body.slug)
    row = conn.execute(
        text("INSERT INTO platform.tenants (slug, name, plan, active) VALUES (:slug, :name, :plan, true)"
             " RETURNING id, slug, name, plan, active"),
        body.model_dump(),
    ).mappings().one()
    conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    for table in TEMPLATE_TABLES:
        conn.execute(text(f'CREATE TABLE "{schema}".{table} (LIKE template.{table} INCLUDING ALL)'))
    log.info("created tenant %s", body.slug)
    return TenantOut(**row)


@app.patch("/tenants/{slug}/plan", response_model=TenantOut)
def change_plan(slug: str, plan: str, conn: Connection = Depends(get_conn)):
    row = conn.execute(
        text("UPDATE platform.tenants SET plan = :plan WHERE slug = :slug RETURNING id, slug, name, plan, active"),
        {"plan": plan, "slug": slug},
    ).mappings().first()
    if row is None:
        raise HTTPException(404, "no such tenant")
    return TenantOut(**row)


@app.post("/tenants/{slug}/suspend", status_code=204)
def suspend(slug: str, conn: Connection = Depends(get_conn)):
    conn.execute(text("UPDATE platform.tenants SET active = false WHERE slug = :slug"), {"slug": slug})


@app.delete("/tenants/{slug}", status_code=204)
def offboard(slug: str, conn: Connection = Depends(get_conn)):
    """Offboard a tenant: remove its schema and its registry row."""
    schema = schema_name(slug)
    exists = conn.execute(text("SELECT 1 FROM platform.tenants WHERE slug = :slug"), {"slug": slug}).first()
    if not exists:
        raise HTTPException(404, "no such tenant")
    # expect: destructive
    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    conn.execute(text("DELETE FROM platform.tenants WHERE slug = :slug"), {"slug": slug})
    log.warning("offboarded tenant %s", slug)


@app.get("/healthz")
def healthz():
    with engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"ok": True}
