from fastapi import FastAPI, HTTPException
from sqlmodel import Field, Session, SQLModel, create_engine, select


class Hero(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str


engine = create_engine("sqlite:///heroes.db")
SQLModel.metadata.create_all(engine)
app = FastAPI()


@app.get("/heroes")
def list_heroes():
    with Session(engine) as session:
        return session.exec(select(Hero).limit(100)).all()


@app.delete("/heroes/{hero_id}")
def delete_hero(hero_id: int):
    with Session(engine) as session:
        hero = session.get(Hero, hero_id)
        if hero is None:
            raise HTTPException(404)
        session.delete(hero)
        session.commit()
        return {"ok": True}
