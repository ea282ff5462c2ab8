import tempfile
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt


def render(values):
    tmp = Path(tempfile.mkdtemp())
    png = tmp / "chart.png"
    plt.plot(values)
    plt.savefig(png)
    data = png.read_bytes()
    png.unlink()
    tmp.rmdir()
    return data


if __name__ == "__main__":
    print(len(render([1, 3, 2, 5])))
