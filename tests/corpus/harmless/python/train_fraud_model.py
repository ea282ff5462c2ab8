"""Train the fraud classifier and save it under models/."""
import json
import os

import joblib
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import classification_report, roc_auc_score
from sklearn.model_selection import train_test_split

df = pd.read_parquet("data/processed/transactions_features.parquet")
y = df.pop("is_fraud")
X = df.drop(columns=["transaction_id"])

X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, test_size=0.25, random_state=42)
model = RandomForestClassifier(n_estimators=400, class_weight="balanced", n_jobs=-1, random_state=42)
model.fit(X_train, y_train)

proba = model.predict_proba(X_test)[:, 1]
metrics = {"roc_auc": roc_auc_score(y_test, proba)}
print(classification_report(y_test, model.predict(X_test)))

os.makedirs("models", exist_ok=True)
joblib.dump(model, "models/fraud_rf.joblib")
with open("models/fraud_rf_metrics.json", "w") as fh:
    json.dump(metrics, fh, indent=2)
