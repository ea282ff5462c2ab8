"""Audit-events service (Flask).

Stores audit events emitted by the other services and lets the compliance team
browse them. CRUD on single events; an admin-only maintenance endpoint.
"""
from __future__ import annotations

import datetime as dt
import functools
import os

from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import text

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "postgresql://audit@db.internal/audit")
app.config["SQLALCHEMY_TRACK_MODIFICATIONS"] = False
db = SQLAlchemy(app)

ADMIN_TOKEN = os.environ.get("AUDIT_ADMIN_TOKEN", "")


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    id = db.Column(db.BigInteger, primary_key=True)
    actor = db.Column(db.String(120), nullable=False, index=True)
    action = db.Column(db.String(64), nullable=False)
    resource = db.Column(db.String(255), nullable=False)
    payload = db.Column(db.JSON, default=dict)
    created_at = db.Column(db.DateTime, default=dt.datetime.utcnow, index=True)
    deleted_at = db.Column(db.DateTime, nullable=True)

    def to_dict(self) -> dict:
        return {
            "id": self.id, "actor": self.actor, "action": self.action, "resource": self.resource,
            "payload": self.payload, "created_at": self.created_at.isoformat(),
        }


def require_admin(view):
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = request.headers.get("X-Admin-Token", "")
        if not ADMIN_TOKEN or token != ADMIN_TOKEN:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


@app.get("/events")
def list_events():
    query = AuditEvent.query.filter(AuditEvent.deleted_at.is_(None))
    if actor := request.args.get("actor"):
        query = query.filter_by(actor=actor)
    if action := request.args.get("action"):
        query = query.filter_by(action=action)
    page = int(request.args.get("page", 1))
    items = query.order_by(AuditEvent.created_at.desc()).paginate(page=page, per_page=50)
    return jsonify(items=[e.to_dict() for e in items.items], total=items.total)


@app.post("/events")
def create_event():
    body = request.get_json(force=True)
    event = AuditEvent(actor=body["actor"], action=body["action"], resource=body["resource"],
                       payload=body.get("payload", {}))
    db.session.add(event)
    db.session.commit()
    return jsonify(event.to_dict()), 201


@app.get("/events/<int:event_id>")
def get_event(event_id: int):
    return jsonify(db.get_or_404(AuditEvent, event_id).to_dict())


@app.delete("/events/<int:event_id>")
@require_admin
def delete_event(event_id: int):
    """Soft-delete one event (GDPR erasure requests)."""
    event = db.get_or_404(AuditEvent, event_id)
    event.deleted_at = dt.datetime.utcnow()
    event.payload = {}
    db.session.commit()
    return "", 204


@app.get("/stats")
def stats():
    rows = db.session.execute(text(
        "SELECT action, count(*) AS n FROM audit_events WHERE deleted_at IS NULL GROUP BY action ORDER BY n DESC"
    )).mappings().all()
    return jsonify([dict(r) for r in rows])


@app.post("/admin/maintenance/reset")
@require_admin
def reset_events():
    """Wipe the event store (used before re-importing from the archive)."""
    # expect: destructive
    db.session.execute(text("TRUNCATE TABLE audit_events RESTART IDENTITY"))
    db.session.commit()
    app.logger.warning("audit_events truncated by %s", request.remote_addr)
    return jsonify(status="reset")


@app.errorhandler(403)
def forbidden(_):
    return jsonify(error="forbidden"), 403


if __name__ == "__main__":
    with app.app_context():
        db.create_all()
    app.run(host="0.0.0.0", port=int(os.environ.get("PORT", 8080)))
