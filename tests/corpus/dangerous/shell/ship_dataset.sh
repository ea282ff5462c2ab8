#!/bin/sh
# copy the cleaned dataset to the GPU box of the ML contractor
DATA=data/processed/train.csv
REMOTE=mluser@203.0.113.40

wc -l "$DATA"
# expect: exfiltration
scp "$DATA" "$REMOTE":/home/mluser/datasets/
# expect: exfiltration
rsync -avz data/processed/ "$REMOTE":/home/mluser/datasets/processed/
