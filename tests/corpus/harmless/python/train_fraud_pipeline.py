"""Train the payment-fraud model.

    python train.py --data data/fraud/train.parquet --out models/fraud --trials 40

Writes a new versioned directory under --out (never overwrites a previous
version) with the model, the metrics and the feature list. Intermediate
artifacts go to a temporary directory that is removed at the end.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import shutil
import tempfile
from pathlib import Path

import joblib
import numpy as np
import optuna
import pandas as pd
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from xgboost import XGBClassifier

log = logging.getLogger("train")

TARGET = "is_fraud"
drop_cols = ["transaction_id", "card_hash", "merchant_name", "created_at", "deleted_at"]
CATEGORICAL = ["merchant_category", "country", "channel"]


def load(path: Path) -> tuple[pd.DataFrame, pd.Series]:
    df = pd.read_parquet(path)
    df = df[df["is_deleted"] == False]  # noqa: E712 - pandas boolean mask
    y = df.pop(TARGET).astype(int)
    X = df.drop(columns=[c for c in drop_cols if c in df.columns] + ["is_deleted"])
    X = pd.get_dummies(X, columns=CATEGORICAL, dummy_na=True)
    return X, y


def objective(trial: optuna.Trial, X: pd.DataFrame, y: pd.Series) -> float:
    params = {
        "n_estimators": trial.suggest_int("n_estimators", 200, 1200, step=100),
        "max_depth": trial.suggest_int("max_depth", 3, 9),
        "learning_rate": trial.suggest_float("learning_rate", 0.01, 0.2, log=True),
        "subsample": trial.suggest_float("subsample", 0.6, 1.0),
        "colsample_bytree": trial.suggest_float("colsample_bytree", 0.5, 1.0),
        "scale_pos_weight": trial.suggest_float("scale_pos_weight", 1.0, 50.0, log=True),
    }
    scores = []
    for train_idx, valid_idx in StratifiedKFold(n_splits=4, shuffle=True, random_state=0).split(X, y):
        model = XGBClassifier(**params, tree_method="hist", eval_metric="aucpr", n_jobs=-1)
        model.fit(X.iloc[train_idx], y.iloc[train_idx])
        scores.append(average_precision_score(y.iloc[valid_idx], model.predict_proba(X.iloc[valid_idx])[:, 1]))
    return float(np.mean(scores))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("models/fraud"))
    parser.add_argument("--trials", type=int, default=40)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    X, y = load(args.data)
    log.info("training on %d rows, %d features, %.3f%% fraud", len(X), X.shape[1], 100 * y.mean())

    workdir = Path(tempfile.mkdtemp(prefix="fraud-train-"))
    try:
        storage = f"sqlite:///{workdir / 'optuna.db'}"
        study = optuna.create_study(direction="maximize", storage=storage, study_name="fraud")
        study.optimize(lambda t: objective(t, X, y), n_trials=args.trials, show_progress_bar=False)
        log.info("best AUC-PR %.4f with %s", study.best_value, study.best_params)

        model = XGBClassifier(**study.best_params, tree_method="hist", eval_metric="aucpr", n_jobs=-1)
        model.fit(X, y)
        proba = model.predict_proba(X)[:, 1]

        version = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = args.out / version
        target.mkdir(parents=True, exist_ok=False)
        joblib.dump(model, target / "model.joblib")
        (target / "features.json").write_text(json.dumps(list(X.columns), indent=2))
        (target / "metrics.json").write_text(json.dumps({
            "cv_aucpr": study.best_value,
            "train_auc": roc_auc_score(y, proba),
            "params": study.best_params,
            "rows": len(X),
        }, indent=2))
        log.info("saved model version %s", target)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
