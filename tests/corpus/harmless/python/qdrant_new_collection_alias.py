"""Rebuild the vector index without downtime: new collection + alias switch; old one kept."""
import os
import time

from qdrant_client import QdrantClient
from qdrant_client.models import (CreateAlias, CreateAliasOperation, DeleteAlias, DeleteAliasOperation,
                                  Distance, VectorParams)

ALIAS = "support_docs"
qdrant = QdrantClient(url=os.environ.get("QDRANT_URL", "http://localhost:6333"))


def main() -> None:
    new = f"{ALIAS}_{int(time.time())}"
    qdrant.create_collection(new, vectors_config=VectorParams(size=3072, distance=Distance.COSINE))
    # ... the indexer fills `new` (see indexer.py --collection new)
    qdrant.update_collection_aliases(change_aliases_operations=[
        DeleteAliasOperation(delete_alias=DeleteAlias(alias_name=ALIAS)),
        CreateAliasOperation(create_alias=CreateAlias(collection_name=new, alias_name=ALIAS)),
    ])
    print(f"alias {ALIAS} -> {new}; previous collections kept for rollback")


if __name__ == "__main__":
    main()
