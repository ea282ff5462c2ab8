"""Rebuild the vector index for the docs assistant after switching embedding models."""
import os

from openai import OpenAI
from qdrant_client import QdrantClient
from qdrant_client.models import Distance, PointStruct, VectorParams

from .loader import load_chunks

COLLECTION = "support_docs"
qdrant = QdrantClient(url=os.environ.get("QDRANT_URL", "http://qdrant.prod.internal:6333"),
                      api_key=os.environ.get("QDRANT_API_KEY"))
oai = OpenAI()


def main() -> None:
    # expect: destructive
    qdrant.delete_collection(collection_name=COLLECTION)
    qdrant.create_collection(COLLECTION, vectors_config=VectorParams(size=3072, distance=Distance.COSINE))
    chunks = load_chunks("docs/")
    for start in range(0, len(chunks), 128):
        batch = chunks[start:start + 128]
        emb = oai.embeddings.create(model="text-embedding-3-large", input=[c.text for c in batch])
        qdrant.upsert(COLLECTION, points=[
            PointStruct(id=c.id, vector=e.embedding, payload={"path": c.path, "text": c.text})
            for c, e in zip(batch, emb.data)
        ])
    print(qdrant.count(COLLECTION))


if __name__ == "__main__":
    main()
