#!/usr/bin/env bash
set -eo pipefail
conda env list
conda env update -n analytics -f environment.yml --prune
conda run -n analytics python -c "import pandas, sklearn; print(pandas.__version__)"
conda clean --tarballs --yes
