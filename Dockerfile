# One image for the worker and the API; docker-compose.yml picks the command.
# The console is built in a stage of its own (Vite is a development tool) and
# only its static files reach the image the API serves them from.
FROM node:20-bookworm-slim AS console
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY console ./console
RUN npx vite build console

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
COPY --from=console /app/console/dist ./console/dist
# The worker runs as one built module on plain Node (docker-compose.yml's worker command).
RUN node scripts/build-worker.mjs
USER node
CMD ["node", "--import", "tsx", "api/main.ts"]
