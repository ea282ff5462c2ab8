from flask import Flask, abort, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql://app@db/app"
db = SQLAlchemy(app)


class Note(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, nullable=False)
    body = db.Column(db.Text)
    deleted_at = db.Column(db.DateTime)


@app.get("/notes")
def list_notes():
    owner = request.args.get("owner", type=int)
    notes = Note.query.filter_by(owner_id=owner, deleted_at=None).all()
    return jsonify([{"id": n.id, "body": n.body} for n in notes])


@app.delete("/notes/<int:note_id>")
def delete_note(note_id):
    note = db.session.get(Note, note_id)
    if note is None:
        abort(404)
    db.session.delete(note)
    db.session.commit()
    return "", 204


@app.post("/notes/<int:owner_id>/purge-drafts")
def purge_drafts(owner_id):
    n = Note.query.filter(Note.owner_id == owner_id, Note.body.is_(None)).delete()
    db.session.commit()
    return jsonify({"deleted": n})
