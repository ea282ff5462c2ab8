from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from .models import Cart, CartItem, Order


class OrderRepository:
    def __init__(self, session: Session):
        self.session = session

    def get(self, order_id: int) -> Optional[Order]:
        return self.session.get(Order, order_id)

    def totals_by_status(self):
        stmt = select(Order.status, func.count(), func.sum(Order.total)).group_by(Order.status)
        return self.session.execute(stmt).all()

    def cancel(self, order_id: int) -> None:
        self.session.execute(update(Order).where(Order.id == order_id).values(status="cancelled"))

    def remove_cart_item(self, cart_id: int, item_id: int) -> None:
        self.session.execute(delete(CartItem).where(CartItem.cart_id == cart_id, CartItem.id == item_id))

    def purge_abandoned_carts(self, days: int = 30) -> int:
        cutoff = datetime.utcnow() - timedelta(days=days)
        n = (self.session.query(Cart)
             .filter(Cart.updated_at < cutoff, Cart.checked_out.is_(False))
             .delete(synchronize_session=False))
        return n
