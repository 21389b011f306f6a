#!/bin/sh
# Started by s6-overlay's /init with the container's environment (SUPERVISOR_TOKEN among it). The entry reads
# /data/options.json, sets HOME_ASSISTANT_URL=http://supervisor/core/websocket, the token, DATA_DIR=/data, port 8099 and
# INGRESS_PROXY_ADDRESSES=172.30.32.2, and starts the service (apps/ingestion/src/addon/main.ts).
cd /app || exit 1
exec node apps/ingestion/dist/addon/main.js
