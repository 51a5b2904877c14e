#!/usr/bin/env bash
# Where the request filter's cost goes: a V8 sampling profile (--cpu-prof) of one app process,
# first serving the half of the stores with the filter off, then (a new process) the half with it
# on, then the two compared per request (bench/waf-profile-diff.ts): CPU time of each function
# per request, off vs on, the largest differences first, and the filter's own functions.
# The app is pinned to one core and wrk to the other. Two runs in a row are not at the same
# moment: read differences under about 0.3 µs a request as noise, and run it twice.
# See bench/README.md (prerequisites, seed) and bench/waf.sh (the figure of record).
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/11}"
: "${DURATION:=20}"        # seconds profiled per half (after WARMUP)
: "${WARMUP:=5}"
: "${CONNECTIONS:=20}"
: "${SHOPPERS:=5000}"      # client addresses of the half, 100 per store
: "${PORT:=3301}"
: "${ON_SETTINGS:=}"
export DATABASE_URL REDIS_URL NODE_ENV=production LOG_LEVEL=warn BENCH_WORKERS=1
export BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}'

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
OUT=bench/out
[ -f "$OUT/targets-100.tsv" ] || { echo "seed first: DATABASE_URL=$DATABASE_URL node --import tsx bench/seed.ts --reset" >&2; exit 2; }
npx tsc -p bench/tsconfig.json
# The halves as bench/waf.sh makes them.
. bench/waf-halves.sh
split_halves "$OUT/targets-100.tsv" "$OUT"

APP=
cleanup() {
  [ -n "$APP" ] && kill "$APP" 2>/dev/null || true
  toggle cleanup "$OUT/targets-100.tsv" > /dev/null 2>&1 || true
}
trap cleanup EXIT
toggle on "$OUT/targets-waf-on.tsv" "$ON_SETTINGS"
toggle off "$OUT/targets-waf-off.tsv"

profile_half() { # profile_half <on|off>: prints the requests of the profiled window
  local dir="$OUT/profile-$1"
  rm -rf "$dir" && mkdir -p "$dir"
  PORT=$PORT taskset -c 0 node --cpu-prof --cpu-prof-dir="$dir" "$OUT/dist/bench/server.js" > "$dir/app.log" 2>&1 & APP=$!
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s bench/waf.lua "http://127.0.0.1:$PORT" -- "$OUT/targets-waf-$1.tsv" "$SHOPPERS" shoppers > /dev/null
  taskset -c 1 wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" -s bench/waf.lua "http://127.0.0.1:$PORT" -- "$OUT/targets-waf-$1.tsv" "$SHOPPERS" shoppers > "$dir/wrk.txt"
  kill -INT "$APP"; wait "$APP" 2>/dev/null || true; APP=
  sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$dir/wrk.txt"
}

OFF_N=$(profile_half off)
ON_N=$(profile_half on)
node --import tsx bench/waf-profile-diff.ts "$OUT/profile-off" "$OFF_N" "$OUT/profile-on" "$ON_N" "$DURATION"
