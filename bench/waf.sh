#!/usr/bin/env bash
# Request filter on vs off: the catalog list benchmark (cached first pages of 100 stores, MariaDB
# + Redis, compiled app under node:cluster) with the WAF plugin off and on for the same stores,
# alternating in one run; then two worst cases (a new client address on nearly every request;
# every request counted in Redis) and, for scale, the uncached list off and on. See bench/README.md (prerequisites, seed) and
# plugins/waf/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/11}"
: "${BENCH_WORKERS:=2}"
: "${DURATION:=15s}"
: "${WARMUP:=12s}"         # also covers the time a switch takes to reach every process (5 s + 5 s)
: "${CONNECTIONS:=50}"
: "${ROUNDS:=3}"
: "${SHOPPERS:=10000}"     # client addresses, 100 per store, that come back
: "${RANDOM_ADDRESSES:=50000}"  # the worst case: any address on any store
: "${PORT:=3300}"
export DATABASE_URL REDIS_URL BENCH_WORKERS NODE_ENV=production LOG_LEVEL=warn
export BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}'

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
TARGETS=bench/out/targets-100.tsv
[ -f "$TARGETS" ] || { echo "seed first: DATABASE_URL=$DATABASE_URL node --import tsx bench/seed.ts --reset" >&2; exit 2; }

npx tsc -p bench/tsconfig.json
APP_JS=bench/out/dist/bench/server.js
OUT=bench/out
RESULTS=$OUT/waf-results.txt
: > "$RESULTS"

toggle() { node --import tsx bench/waf-toggle.ts "$1" "$TARGETS" ${2:+"$2"}; }
APP=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  toggle cleanup > /dev/null 2>&1 || true
}
trap cleanup EXIT

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "software: node $(node -v), $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/'), redis $(redis-cli -v | cut -d' ' -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  echo "setup: $BENCH_WORKERS app workers (node:cluster), $CONNECTIONS connections, wrk -t1, $DURATION per run after $WARMUP warm-up, $ROUNDS rounds off/on; client addresses via X-Forwarded-For: $SHOPPERS shoppers (100 per store), and a worst case of $RANDOM_ADDRESSES addresses on any store"
} | tee "$OUT/waf-machine.txt"

toggle off
PORT=$PORT node "$APP_JS" > "$OUT/waf-app.log" 2>&1 & APP=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

run() { # run <label> <pool> <addresses>: warm-up (the switch settles meanwhile), then measure
  wrk -t1 -c"$CONNECTIONS" -d"$WARMUP" -s bench/waf.lua "http://127.0.0.1:$PORT" -- "$TARGETS" "$3" "$2" > /dev/null
  wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/waf.lua "http://127.0.0.1:$PORT" -- "$TARGETS" "$3" "$2" > "$OUT/wrk-waf-$1.txt"
  sed -n "s/^RESULT mode=[^ ]* /RESULT label=$1 /p" "$OUT/wrk-waf-$1.txt" | tee -a "$RESULTS"
}

for r in $(seq 1 "$ROUNDS"); do
  toggle off; run "off-$r" shoppers "$SHOPPERS"
  toggle on; run "on-$r" shoppers "$SHOPPERS"
done
# Worst case for the memos: nearly every request from a new address.
run "on-random" random "$RANDOM_ADDRESSES"
toggle off; run "off-random" random "$RANDOM_ADDRESSES"
# Worst case for the rate limiter: limits under 100 a window are counted in Redis on every request.
toggle on '{"rateLimits":{"default":{"limit":90,"windowSeconds":60}}}'; run "on-exact" shoppers "$SHOPPERS"

kill "$APP"; wait "$APP" 2>/dev/null || true; APP=

# For scale: the same list without the catalog cache (every request reads MariaDB).
toggle off
CATALOG_CACHE=off PORT=$PORT node "$APP_JS" >> "$OUT/waf-app.log" 2>&1 & APP=$!
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
run "off-uncached" shoppers "$SHOPPERS"
toggle on; run "on-uncached" shoppers "$SHOPPERS"
kill "$APP"; wait "$APP" 2>/dev/null || true; APP=

node --import tsx bench/waf-report.ts "$OUT/waf-machine.txt" "$RESULTS"
