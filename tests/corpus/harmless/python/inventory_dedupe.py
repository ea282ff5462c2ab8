from collections import defaultdict


class Inventory:
    """In-memory inventory used by the pricing simulator."""

    def __init__(self):
        self.items = {}
        self.tags = defaultdict(set)
        self.queue = []

    def add(self, sku, qty, tags=()):
        self.items[sku] = self.items.get(sku, 0) + qty
        for t in tags:
            self.tags[t].add(sku)
        self.queue.append(sku)

    def remove(self, sku):
        qty = self.items.pop(sku, 0)
        for skus in self.tags.values():
            skus.discard(sku)
        while sku in self.queue:
            self.queue.remove(sku)
        return qty

    def clear_tag(self, tag):
        self.tags.pop(tag, None)

    def drop_empty(self):
        for sku in [s for s, q in self.items.items() if q <= 0]:
            del self.items[sku]


if __name__ == "__main__":
    inv = Inventory()
    inv.add("A-1", 5, tags=["summer"])
    inv.add("B-2", 0)
    inv.drop_empty()
    inv.remove("A-1")
    print(inv.items, dict(inv.tags))
