from sqlalchemy import MetaData, Table, create_engine, delete, select, update

engine = create_engine("postgresql://app@db.internal/app")
meta = MetaData()
jobs = Table("jobs", meta, autoload_with=engine)

with engine.begin() as conn:
    stuck = conn.execute(select(jobs.c.id).where(jobs.c.state == "running", jobs.c.heartbeat_at < "2024-03-01")).all()
    conn.execute(update(jobs).where(jobs.c.id.in_([r.id for r in stuck])).values(state="queued"))
    conn.execute(delete(jobs).where(jobs.c.state == "done", jobs.c.finished_at < "2023-01-01"))
