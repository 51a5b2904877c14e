#!/usr/bin/env bash
# The orders benchmark: placing orders (guest carts of 3 lines, offline bank transfer) at 50
# connections against the app on MariaDB + Redis, after a warm-up. Prints orders/s and latency,
# then checks the books: every 201 is an order, reserved stock equals the units ordered.
#   bench/orders.sh            (seeds bazaar_bench_orders first; set SEED=0 to reuse a seed)
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench_orders}"
: "${REDIS_URL:=redis://127.0.0.1:6379/8}"
: "${BENCH_WORKERS:=2}"
: "${DURATION:=20s}"
: "${WARMUP:=5s}"
: "${CONNECTIONS:=50}"
: "${CARTS:=40000}"
: "${SEED:=1}"
: "${PORT:=3300}"
export DATABASE_URL REDIS_URL BENCH_WORKERS PORT NODE_ENV=production LOG_LEVEL=warn

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
OUT=bench/out
mkdir -p "$OUT"
if [ "$SEED" = 1 ]; then
  redis-cli -u "$REDIS_URL" flushdb > /dev/null
  node --import tsx bench/orders-seed.ts "$CARTS"
fi

# Production runs compiled JavaScript (the same build as bench/run.sh).
npx tsc -p bench/tsconfig.json
APP=
cleanup() { [ -n "$APP" ] && kill "$APP" 2>/dev/null || true; }
trap cleanup EXIT
node bench/out/dist/bench/server.js > "$OUT/orders-app.log" 2>&1 & APP=$!
for _ in $(seq 1 150); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
  echo "software: node $(node -v), $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/'), redis $(redis-cli -v | cut -d' ' -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  echo "setup: $BENCH_WORKERS app workers (node:cluster, web role), $CONNECTIONS connections, wrk -t1, $DURATION after $WARMUP warm-up; one store, 300 variants, tax 8%"
} | tee "$OUT/orders-machine.txt"

# The warm-up and the measured run walk one list of carts: the measured run starts past the
# carts the warm-up used (wrk states do not share the counter, so it is given as an offset).
wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/orders.lua "http://127.0.0.1:$PORT" -- "$OUT/orders-carts.tsv" > "$OUT/orders-warmup.txt"
USED=$(sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$OUT/orders-warmup.txt")
tail -n +"$((USED + CONNECTIONS + 1))" "$OUT/orders-carts.tsv" > "$OUT/orders-carts-run.tsv"
wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/orders.lua "http://127.0.0.1:$PORT" -- "$OUT/orders-carts-run.tsv" | tee "$OUT/orders-wrk.txt" | grep -E '^RESULT'
# Latency alone: one connection, on carts past the loaded run's.
RAN=$(sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$OUT/orders-wrk.txt")
tail -n +"$((RAN + CONNECTIONS + 1))" "$OUT/orders-carts-run.tsv" > "$OUT/orders-carts-alone.tsv"
wrk -t1 -c1 -d10s --latency -s bench/orders.lua "http://127.0.0.1:$PORT" -- "$OUT/orders-carts-alone.tsv" | tee "$OUT/orders-wrk-alone.txt" | grep -E '^RESULT' | sed 's/^RESULT mode=checkout/RESULT mode=checkout-alone/'
kill "$APP"; wait "$APP" 2>/dev/null || true; APP=

node --import tsx bench/orders-check.ts
