# syntax=docker/dockerfile:1
# gpt-image-bot: two stages on the same Node LTS image.
# .ci/run reads the Node major from the first FROM line and runs the test suite on it too.

# ---- build: compile TypeScript and the sqlite3 native addon, then drop dev dependencies ----
FROM node:24-bookworm-slim AS build

# python3, make and g++ let node-gyp build sqlite3 (via @keyv/sqlite) for this Node.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Sources (tsconfig*.json, src/, commands/; .dockerignore keeps out tests, data and secrets).
COPY . .
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled JavaScript and production node_modules only, run as a non-root user ----
FROM node:24-bookworm-slim

# HTTP_HOST: the container's own interfaces; `docker run -p` / compose `ports` decide who reaches them.
ENV NODE_ENV=production \
    STORE_URL=sqlite:///data/bot.sqlite \
    HTTP_HOST=0.0.0.0

RUN groupadd --system bot \
 && useradd --system --gid bot --home-dir /app --no-create-home --shell /usr/sbin/nologin bot \
 && mkdir -p /data \
 && chown bot:bot /data

# Application files stay owned by root (read-only to the bot); only /data is writable.
COPY --from=build /app/package.json /app/package.json
COPY --from=build /app/node_modules /app/node_modules
COPY --from=build /app/dist /app/dist

VOLUME ["/data"]
USER bot

# The bot runs from /, so a relative store path lands on the volume too: .env.example's
# STORE_URL=sqlite://data/bot.sqlite (passed with --env-file) is /data/bot.sqlite, the same file as
# this image's default above.
WORKDIR /

EXPOSE 3000

# Slim images have no curl: ask the app's own health endpoint with Node's global fetch.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:${HTTP_PORT:-3000}/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"

CMD ["node", "/app/dist/src/main.js"]
