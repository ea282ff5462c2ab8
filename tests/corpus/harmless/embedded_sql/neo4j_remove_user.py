from neo4j import GraphDatabase

driver = GraphDatabase.driver("neo4j://graph.internal:7687", auth=("app", "secret"))


def remove_user(user_id: str) -> None:
    with driver.session() as session:
        session.run("MATCH (u:User {id: $id}) DETACH DELETE u", id=user_id)


def friends(user_id: str):
    with driver.session() as session:
        return session.run(
            "MATCH (:User {id: $id})-[:FOLLOWS]->(f:User) RETURN f.id AS id", id=user_id
        ).data()
