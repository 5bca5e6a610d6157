# One image for every llmops process (ingress, pii-scanner, analytics-sink,
# token-accountant, siem-forwarder, guardrail-monitor and the llmops CLI);
# docker-compose.yml picks the process with `command`.
#
#   docker build -t llmops .
#
# Node 24, the LTS line the test suite runs on: Node 20 reached end of life in
# April 2026. The code needs >= 22 (package.json "engines").

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY . .
# `npm ci` runs the root `prepare` script, i.e. `npm run build` (nx run-many -t build).
RUN npm ci --no-audit --no-fund
# Collect what the runtime needs, with its folder structure: the workspace
# manifests (for `npm ci --omit=dev`) apart from the built output, so that
# dependencies get their own layer.
RUN mkdir -p /out/manifests /out/app \
 && cp --parents package.json package-lock.json libs/*/package.json services/*/package.json /out/manifests/ \
 && cp -r --parents nx.json libs/*/dist libs/cli/bin services/*/dist deploy/clickhouse schemas /out/app/

FROM node:24-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /out/manifests/ ./
# --ignore-scripts: `prepare` would try to build again, without the sources or dev tools.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# nx.json marks the repository root for the CLI; deploy/clickhouse holds the
# migrations the analytics sink and `llmops migrate` apply.
COPY --from=build /out/app/ ./
USER node
EXPOSE 8080
CMD ["node", "libs/cli/bin/llmops.js", "--help"]
