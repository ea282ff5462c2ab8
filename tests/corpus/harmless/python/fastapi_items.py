from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session

from .database import get_db
from .models import Item

app = FastAPI()


@app.delete("/items/{item_id}", status_code=204)
def delete_item(item_id: int, db: Session = Depends(get_db)):
    item = db.get(Item, item_id)
    if item is None:
        raise HTTPException(404, "not found")
    db.delete(item)
    db.commit()


@app.post("/items/{owner_id}/archive")
def archive_items(owner_id: int, db: Session = Depends(get_db)):
    n = (db.query(Item)
           .filter(Item.owner_id == owner_id, Item.archived.is_(False))
           .update({Item.archived: True}, synchronize_session=False))
    db.commit()
    return {"archived": n}
