"""Rebuild the recommendations graph from the nightly export."""
from neo4j import GraphDatabase

driver = GraphDatabase.driver("neo4j://graph.internal:7687", auth=("neo4j", "change-me"))


def wipe_graph(tx):
    # expect: destructive
    tx.run("MATCH (n) DETACH DELETE n")


def load_products(tx, rows):
    tx.run("UNWIND $rows AS r MERGE (p:Product {sku: r.sku}) SET p.name = r.name", rows=rows)


with driver.session(database="recs") as session:
    session.execute_write(wipe_graph)
    session.execute_write(load_products, [{"sku": "A-1", "name": "Widget"}])
driver.close()
