#!/usr/bin/env bash
set -euo pipefail
BROKER=kafka-0.kafka.internal:9092
kafka-topics.sh --bootstrap-server "$BROKER" --list
kafka-consumer-groups.sh --bootstrap-server "$BROKER" --describe --group orders-etl
kafka-topics.sh --bootstrap-server "$BROKER" --describe --topic orders.v1
