# HomeIQ Ingest: the ingestion service image (container `homeiq-websocket`, port 8001).
# Build stage: install every workspace dependency, build the app and the libs it uses, then drop dev dependencies.
# The full image has python3, make and g++ for native modules whose prebuilt binary cannot be fetched.
FROM node:20-bookworm AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc nx.json tsconfig.base.json ./
COPY apps/ingestion/package.json apps/ingestion/
COPY libs/ libs/
COPY tools/ tools/
COPY apps/ apps/
RUN npm ci --no-audit --no-fund
ENV NX_DAEMON=false NX_NO_CLOUD=true
RUN npx nx run-many -t build -p ingestion ha-sim && npm prune --omit=dev --no-audit --no-fund

# Runtime stage: only built output and production dependencies, as a non-root user.
FROM node:20-bookworm-slim
ENV NODE_ENV=production WEBSOCKET_INGESTION_PORT=8001 DATA_DIR=/data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/libs ./libs
COPY --from=build /app/apps/ingestion/package.json ./apps/ingestion/
# The whole build output: the service (dist/main.js) and the history import (dist/backfill/cli.js, README
# "Importing history": `docker compose run --rm homeiq-websocket node apps/ingestion/dist/backfill/cli.js --since 7d`).
COPY --from=build /app/apps/ingestion/dist ./apps/ingestion/dist
# The Home Assistant simulator rides along for the compose `demo` profile.
COPY --from=build /app/tools/ha-sim/package.json ./tools/ha-sim/
COPY --from=build /app/tools/ha-sim/bin ./tools/ha-sim/bin
COPY --from=build /app/tools/ha-sim/dist ./tools/ha-sim/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8001
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.WEBSOCKET_INGESTION_PORT||8001)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "apps/ingestion/dist/main.js"]
