"""Compute product embeddings with Ray Data; the model is downloaded once from the public hub."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import ray
import requests

MODEL_URL = "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2/resolve/main/onnx/model.onnx"
MODEL_PATH = Path("models/minilm.onnx")


def ensure_model() -> Path:
    if not MODEL_PATH.exists():
        MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
        resp = requests.get(MODEL_URL, timeout=120)
        resp.raise_for_status()
        MODEL_PATH.write_bytes(resp.content)
    return MODEL_PATH


class Embedder:
    def __init__(self, model_path: str) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.session = ort.InferenceSession(model_path)
        self.tokenizer = Tokenizer.from_pretrained("sentence-transformers/all-MiniLM-L6-v2")

    def __call__(self, batch: dict) -> dict:
        enc = self.tokenizer.encode_batch(list(batch["title"]))
        ids = np.array([e.ids[:64] + [0] * (64 - len(e.ids[:64])) for e in enc])
        mask = (ids != 0).astype(np.int64)
        out = self.session.run(None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)})
        batch["embedding"] = list(out[0].mean(axis=1))
        return batch


def main() -> None:
    model = ensure_model()
    ray.init()
    ds = ray.data.read_parquet("data/products.parquet", columns=["product_id", "title"])
    ds = ds.map_batches(Embedder, fn_constructor_args=(str(model),), batch_size=256, concurrency=4)
    ds.write_parquet("data/product_embeddings")
    ray.shutdown()


if __name__ == "__main__":
    main()
