#!/usr/bin/env bash
# Request filter on vs off: the catalog list benchmark (cached first pages, MariaDB + Redis,
# compiled app under node:cluster). The 100 seeded stores are split into two matched halves (the
# seed makes every store alike: 1,000 products of 3 variants): the filter is on for one half and
# off for the other, in the same running app. Runs then alternate between the halves in ABBA
# order (on off off on on off ...), so nothing has to be switched between runs and a drift of the
# machine's speed falls on both sides alike. Then two worst cases (a new client address on nearly
# every request; every request counted in Redis) and, for scale, the uncached list off and on.
# The one request-filter benchmark (npm run bench:waf). See bench/README.md (prerequisites, seed,
# noise) and plugins/waf/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/11}"
: "${BENCH_WORKERS:=2}"
: "${DURATION:=10s}"
: "${WARMUP:=3s}"          # before every measured run: connections and caches of that half
: "${SETTLE:=12s}"         # after a switch: the time it takes to reach every process (5 s + 5 s)
: "${CONNECTIONS:=50}"
: "${ROUNDS:=20}"          # pairs of runs (on + off), in ABBA order: one pair scatters by 8-14 points, 20 pairs by about 2
: "${SHOPPERS:=10000}"     # client addresses, 100 per store, that come back
: "${RANDOM_ADDRESSES:=50000}"  # the worst case: any address on any store
: "${PORT:=3300}"
: "${EXTRAS:=1}"           # 0: the off/on rounds only (no worst cases, no uncached runs)
: "${ON_SETTINGS:=}"       # settings JSON for the stores with the filter on (default: the plugin's defaults)
: "${A_A:=0}"              # 1: a check of the bench itself: the filter off in both halves ("on" is then a label only)
export DATABASE_URL REDIS_URL BENCH_WORKERS NODE_ENV=production LOG_LEVEL=warn
# Production boot asks every plugin for its secrets: the onboarding plugin's key is a throwaway.
BENCH_KEY=$(node -e "process.stdout.write(require('crypto').randomBytes(32).toString('base64'))")
export BAZAAR_PLUGIN_OPTIONS="{\"waf\":{\"trustedProxies\":[\"127.0.0.1\"]},\"onboarding\":{\"encryptionKey\":\"$BENCH_KEY\"}}"

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
TARGETS=bench/out/targets-100.tsv
[ -f "$TARGETS" ] || { echo "seed first: DATABASE_URL=$DATABASE_URL node --import tsx bench/seed.ts --reset --stores-only" >&2; exit 2; }

npx tsc -p bench/tsconfig.json
APP_JS=bench/out/dist/bench/server.js
OUT=bench/out
RESULTS=$OUT/waf-results.txt
: > "$RESULTS"

# The two halves: stores in odd and even places of the seed's store list.
. bench/waf-halves.sh
split_halves "$TARGETS" "$OUT"
ON_TARGETS=$OUT/targets-waf-on.tsv
OFF_TARGETS=$OUT/targets-waf-off.tsv
HALF_SHOPPERS=$((SHOPPERS / 2))
HALF_RANDOM=$((RANDOM_ADDRESSES / 2))

APP=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  toggle cleanup "$TARGETS" > /dev/null 2>&1 || true
}
trap cleanup EXIT

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "software: node $(node -v), $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/'), redis $(redis-cli -v | cut -d' ' -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  [ "$A_A" = 1 ] && echo "A/A CHECK: the filter is off in both halves; \"on\" names the half it is on for in a real run"
  echo "setup: $BENCH_WORKERS app workers (node:cluster), $CONNECTIONS connections, wrk -t1; the filter on for 50 stores and off for 50 alike, in one app; $ROUNDS pairs of $DURATION runs in ABBA order, each after $WARMUP of warm-up; client addresses via X-Forwarded-For: 100 returning shoppers per store, and a worst case of $RANDOM_ADDRESSES addresses"
} | tee "$OUT/waf-machine.txt"

start_app() {
  PORT=$PORT node "$APP_JS" >> "$OUT/waf-app.log" 2>&1 & APP=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
}
stop_app() { kill "$APP"; wait "$APP" 2>/dev/null || true; APP=; }

# CPU time (clock ticks, user + system, every thread) of the app's processes, of Redis and of the
# whole machine. Per request it moves less between runs than req/s does.
ticks() {
  local app=0 p
  for p in $APP $(pgrep -P "$APP"); do app=$((app + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  local redis; redis=$(awk '{print $14 + $15}' "/proc/$(pgrep -x redis-server | head -1)/stat" 2>/dev/null || echo 0)
  echo "$app $redis $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}

wrk_half() { # wrk_half <on|off> <pool> <addresses> <duration> [wrk options]
  local targets=$OFF_TARGETS
  [ "$1" = on ] && targets=$ON_TARGETS
  wrk -t1 -c"$CONNECTIONS" -d"$4" "${@:5}" -s bench/waf.lua "http://127.0.0.1:$PORT" -- "$targets" "$3" "$2"
}

run() { # run <label> <on|off> <pool> <addresses> [warm-up]: warm-up, then measure
  wrk_half "$2" "$3" "$4" "${5:-$WARMUP}" > /dev/null
  local before after
  before=$(ticks)
  wrk_half "$2" "$3" "$4" "$DURATION" --latency > "$OUT/wrk-waf-$1.txt"
  after=$(ticks)
  sed -n "s/^RESULT mode=[^ ]* /RESULT label=$1 /p" "$OUT/wrk-waf-$1.txt" |
    awk -v b="$before" -v a="$after" -v hz="$(getconf CLK_TCK)" '{
      split(b, x, " "); split(a, y, " "); match($0, /requests=[0-9]+/); n = substr($0, RSTART + 9, RLENGTH - 9)
      printf "%s app_cpu_us=%.1f redis_cpu_us=%.1f machine_cpu_us=%.1f\n", $0, (y[1] - x[1]) * 1e6 / hz / n, (y[2] - x[2]) * 1e6 / hz / n, (y[3] - x[3]) * 1e6 / hz / n
    }' | tee -a "$RESULTS"
}

if [ "$A_A" = 1 ]; then toggle off "$ON_TARGETS"; EXTRAS=0; else toggle on "$ON_TARGETS" "$ON_SETTINGS"; fi
toggle off "$OFF_TARGETS"
start_app
# Settle: both halves warmed, the switch seen by every process.
wrk_half on shoppers "$HALF_SHOPPERS" "$SETTLE" > /dev/null
wrk_half off shoppers "$HALF_SHOPPERS" "$SETTLE" > /dev/null

for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then first=on second=off; else first=off second=on; fi
  run "$first-$r" "$first" shoppers "$HALF_SHOPPERS"
  run "$second-$r" "$second" shoppers "$HALF_SHOPPERS"
done

if [ "$EXTRAS" = 1 ]; then
  # Worst case for the memos: nearly every request from a new address.
  run on-random on random "$HALF_RANDOM"
  run off-random off random "$HALF_RANDOM"
  # Worst case for the rate limiter: limits under 100 a window are counted in Redis on every request.
  toggle on "$ON_TARGETS" '{"rateLimits":{"default":{"limit":90,"windowSeconds":60}}}'
  run on-exact on shoppers "$HALF_SHOPPERS" "$SETTLE"
  stop_app

  # For scale: the same list without the catalog cache (every request reads MariaDB).
  toggle on "$ON_TARGETS"
  CATALOG_CACHE=off start_app
  run off-uncached off shoppers "$HALF_SHOPPERS" "$SETTLE"
  run on-uncached on shoppers "$HALF_SHOPPERS" "$SETTLE"
fi
stop_app

node --import tsx bench/waf-report.ts "$OUT/waf-machine.txt" "$RESULTS"
