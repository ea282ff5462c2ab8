#!/bin/bash
set -e
helm repo add bitnami https://charts.bitnami.com/bitnami
helm repo update
helm upgrade --install redis bitnami/redis -n cache --create-namespace -f values/redis.yaml --atomic --timeout 10m
helm list -n cache
helm history redis -n cache
