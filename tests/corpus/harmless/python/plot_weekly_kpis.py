"""Plot the weekly KPI trends and save the charts for the deck."""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns

FIG_DIR = Path("reports/figures")
FIG_DIR.mkdir(parents=True, exist_ok=True)

kpis = pd.read_csv("data/processed/weekly_kpis.csv", parse_dates=["week"])

fig, axes = plt.subplots(2, 1, figsize=(10, 8), sharex=True)
sns.lineplot(data=kpis, x="week", y="revenue", ax=axes[0])
axes[0].set_title("Weekly revenue")
sns.lineplot(data=kpis, x="week", y="active_users", ax=axes[1], color="tab:orange")
axes[1].set_title("Weekly active users")
fig.tight_layout()
fig.savefig(FIG_DIR / "weekly_kpis.png", dpi=150)
plt.close(fig)

ax = kpis.set_index("week")["conversion_rate"].plot(kind="bar", figsize=(12, 4))
ax.figure.savefig(FIG_DIR / "conversion.svg")
print("saved figures to", FIG_DIR)
