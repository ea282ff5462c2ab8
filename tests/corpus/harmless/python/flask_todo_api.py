"""A small Flask + SQLAlchemy todo service with per-user lists.

Endpoints
    GET    /lists                       lists of the current user
    POST   /lists                       create a list
    DELETE /lists/<id>                  delete one list (and its items, by FK cascade)
    GET    /lists/<id>/items
    POST   /lists/<id>/items
    PATCH  /items/<id>                  update title / done
    DELETE /items/<id>                  delete one item
    POST   /lists/<id>/clear-completed  delete the done items of ONE list
"""
from __future__ import annotations

import datetime as dt
import os
from functools import wraps

from flask import Flask, abort, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy.orm import relationship

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///todo.db")
db = SQLAlchemy(app)


class TodoList(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner = db.Column(db.String(80), nullable=False, index=True)
    name = db.Column(db.String(120), nullable=False)
    created_at = db.Column(db.DateTime, default=dt.datetime.utcnow)
    items = relationship("Item", cascade="all, delete-orphan", back_populates="todo_list")


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    list_id = db.Column(db.Integer, db.ForeignKey("todo_list.id", ondelete="CASCADE"), nullable=False)
    title = db.Column(db.String(200), nullable=False)
    done = db.Column(db.Boolean, default=False, nullable=False)
    updated_at = db.Column(db.DateTime, default=dt.datetime.utcnow, onupdate=dt.datetime.utcnow)
    todo_list = relationship(TodoList, back_populates="items")

    def to_dict(self):
        return {"id": self.id, "title": self.title, "done": self.done, "updated_at": self.updated_at.isoformat()}


def authenticated(view):
    @wraps(view)
    def wrapper(*args, **kwargs):
        user = request.headers.get("X-User")
        if not user:
            abort(401)
        g.user = user
        return view(*args, **kwargs)
    return wrapper


def own_list(list_id: int) -> TodoList:
    todo_list = db.session.get(TodoList, list_id)
    if todo_list is None or todo_list.owner != g.user:
        abort(404)
    return todo_list


def own_item(item_id: int) -> Item:
    item = db.session.get(Item, item_id)
    if item is None or item.todo_list.owner != g.user:
        abort(404)
    return item


@app.get("/lists")
@authenticated
def lists():
    rows = TodoList.query.filter_by(owner=g.user).order_by(TodoList.created_at).all()
    return jsonify([{"id": l.id, "name": l.name, "open": sum(not i.done for i in l.items)} for l in rows])


@app.post("/lists")
@authenticated
def create_list():
    name = (request.get_json() or {}).get("name", "").strip()
    if not name:
        abort(400, "name is required")
    todo_list = TodoList(owner=g.user, name=name)
    db.session.add(todo_list)
    db.session.commit()
    return jsonify(id=todo_list.id, name=todo_list.name), 201


@app.delete("/lists/<int:list_id>")
@authenticated
def delete_list(list_id: int):
    db.session.delete(own_list(list_id))
    db.session.commit()
    return "", 204


@app.get("/lists/<int:list_id>/items")
@authenticated
def items(list_id: int):
    return jsonify([i.to_dict() for i in own_list(list_id).items])


@app.post("/lists/<int:list_id>/items")
@authenticated
def add_item(list_id: int):
    title = (request.get_json() or {}).get("title", "").strip()
    if not title:
        abort(400, "title is required")
    item = Item(todo_list=own_list(list_id), title=title)
    db.session.add(item)
    db.session.commit()
    return jsonify(item.to_dict()), 201


@app.patch("/items/<int:item_id>")
@authenticated
def update_item(item_id: int):
    item = own_item(item_id)
    body = request.get_json() or {}
    if "title" in body:
        item.title = body["title"].strip() or item.title
    if "done" in body:
        item.done = bool(body["done"])
    db.session.commit()
    return jsonify(item.to_dict())


@app.delete("/items/<int:item_id>")
@authenticated
def delete_item(item_id: int):
    db.session.delete(own_item(item_id))
    db.session.commit()
    return "", 204


@app.post("/lists/<int:list_id>/clear-completed")
@authenticated
def clear_completed(list_id: int):
    todo_list = own_list(list_id)
    removed = Item.query.filter(Item.list_id == todo_list.id, Item.done.is_(True)).delete(synchronize_session=False)
    db.session.commit()
    return jsonify(removed=removed)


@app.errorhandler(404)
def not_found(_):
    return jsonify(error="not found"), 404


if __name__ == "__main__":
    with app.app_context():
        db.create_all()
    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
