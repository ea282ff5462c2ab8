from fastapi import Depends, FastAPI, HTTPException
from sqlalchemy.orm import Session

from .database import get_db
from .models import AuditEvent, Order
from .security import require_admin

app = FastAPI(title="orders-admin")


@app.get("/orders/{order_id}")
def get_order(order_id: int, db: Session = Depends(get_db)):
    order = db.query(Order).filter(Order.id == order_id).first()
    if order is None:
        raise HTTPException(status_code=404)
    return order


@app.post("/admin/reset-audit", dependencies=[Depends(require_admin)])
def reset_audit(db: Session = Depends(get_db)):
    # expect: destructive
    deleted = db.query(AuditEvent).delete()
    db.commit()
    return {"deleted": deleted}
