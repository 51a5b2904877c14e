#!/usr/bin/env bash
# The orders benchmark: placing orders (guest carts of 3 lines, offline bank transfer) at 50
# connections against the app on MariaDB + Redis, in two like stores served by one app: one with
# no plugin on, one with every plugin that takes part in checkout on (payments, cross-border,
# logistics, membership; see bench/orders-seed.ts). The two are measured in ROUNDS pairs in ABBA
# order (off on, on off, ...) after a warm-up each, so a drift of the machine falls on both.
# Per run: orders/s, latency, and CPU ms per order of the app's processes and of mariadbd (from
# /proc; mariadbd's is the whole server's, so it counts any other client of it too), and the
# server's statements per order (MariaDB's Questions counter, server-wide likewise). Then each
# store alone (1 connection), and the books are checked: every 201 is an order, reserved stock
# equals the units ordered, every order closed its cart and wrote order.placed.
#   bench/orders.sh            (seeds bazaar_bench_orders first; set SEED=0 to reuse a seed)
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench_orders}"
: "${REDIS_URL:=redis://127.0.0.1:6379/8}"
: "${BENCH_WORKERS:=2}"
: "${DURATION:=15s}"
: "${WARMUP:=3s}"
: "${FIRST_WARMUP:=60s}"    # per store, once, before the pairs: a fresh server's JIT is cold (issue 27)
: "${ROUNDS:=2}"            # ABBA pairs of (plugins off, plugins on)
: "${CONNECTIONS:=50}"
: "${CARTS:=40000}"         # per store (a run at 280 orders/s uses ~28,000 a store)
: "${SEED:=1}"
: "${PORT:=3300}"
# Production refuses to boot the onboarding plugin without its key: a fixed one, for the bench only.
BENCH_PLUGIN_OPTIONS='{"onboarding":{"encryptionKey":"YmVuY2gtb25seS1rZXktbm90LWEtc2VjcmV0LTEyMzQ="}}'
: "${BAZAAR_PLUGIN_OPTIONS:=$BENCH_PLUGIN_OPTIONS}"
export DATABASE_URL REDIS_URL BENCH_WORKERS PORT BAZAAR_PLUGIN_OPTIONS NODE_ENV=production LOG_LEVEL=warn

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
OUT=bench/out
mkdir -p "$OUT"
if [ "$SEED" = 1 ]; then
  redis-cli -u "$REDIS_URL" flushdb > /dev/null
  node --import tsx bench/orders-seed.ts "$CARTS"
fi
for side in off on; do [ -f "$OUT/orders-carts-$side.tsv" ] || { echo "seed first (SEED=1)" >&2; exit 2; }; done
# Only carts still open (an earlier run, or bench/checkout-pipeline.ts, used some): a used cart
# would answer 409 and be counted as a fast non-2xx.
node --import tsx --input-type=module -e "
import fs from 'node:fs';
import { createKnex } from './core/db/knex.js';
const db = createKnex(process.env.DATABASE_URL);
const open = new Set((await db('carts').where('status', 'open').select('id')).map((r) => r.id));
for (const side of ['off', 'on']) {
  const file = 'bench/out/orders-carts-' + side + '.tsv';
  const lines = fs.readFileSync(file, 'utf8').trim().split('\\n').filter((l) => open.has(l.split('\\t')[1]));
  fs.writeFileSync('bench/out/orders-carts-' + side + '-open.tsv', lines.join('\\n') + '\\n');
  console.log(side + ': ' + lines.length + ' open carts');
}
await db.destroy();
"

# Production runs compiled JavaScript (the same build as bench/run.sh).
[ "${BUILD:-1}" = 0 ] || npx tsc -p bench/tsconfig.json   # BUILD=0: reuse bench/out/dist
APP=
cleanup() { [ -n "$APP" ] && kill "$APP" 2>/dev/null || true; }
trap cleanup EXIT
node bench/out/dist/bench/server.js > "$OUT/orders-app.log" 2>&1 & APP=$!
for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/" && break; sleep 0.2; done

HZ=$(getconf CLK_TCK)
MARIADB=$(pgrep -o mariadbd || pgrep -o mysqld || true)
ticks() { local t=0; for p in "$@"; do [ -r "/proc/$p/stat" ] && t=$((t + $(sed 's/.*) //' "/proc/$p/stat" | awk '{print $12 + $13}'))); done; echo "$t"; }
app_ticks() { ticks "$APP" $(pgrep -P "$APP" || true); }
questions() { mariadb --defaults-extra-file=<(printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\n' "$DB_USER" "$DB_PASS" "$DB_HOST" "$DB_PORT") -N -e "show global status like 'Questions'" 2>/dev/null | awk '{print $2}' || echo 0; }
# Orders a store has: CPU is divided by the orders the server placed, not by wrk's answers (at
# c=50, the 50 requests in flight when wrk stops are placed after it, and were charged to the next run).
sql() { mariadb --defaults-extra-file=<(printf '[client]\nuser=%s\npassword=%s\nhost=%s\nport=%s\ndatabase=%s\n' "$DB_USER" "$DB_PASS" "$DB_HOST" "$DB_PORT" "$DB_NAME") -N -e "$1"; }
placed() { sql "select count(*) from orders o join tenants t on t.id = o.tenant_id where t.slug = '$(if [ "$1" = on ]; then echo bench-orders-plugins; else echo bench-orders; fi)'"; }
# Waits until no order is being placed (the requests wrk left in flight, in either store, are done).
settle() { local prev=-1 cur; for _ in $(seq 1 60); do cur=$(sql "select count(*) from orders"); [ "$cur" = "$prev" ] && break; prev=$cur; sleep 1; done; }
read -r DB_USER DB_PASS DB_HOST DB_PORT DB_NAME < <(node -e 'const u = new URL(process.argv[1]); console.log(decodeURIComponent(u.username), decodeURIComponent(u.password), u.hostname, u.port || 3306, u.pathname.slice(1))' "$DATABASE_URL")

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "software: node $(node -v), $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/'), redis $(redis-cli -v | cut -d' ' -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  echo "setup: $BENCH_WORKERS app workers (node:cluster, web role), $CONNECTIONS connections, wrk -t1 (timeout 30 s), $FIRST_WARMUP first warm-up per store, then $DURATION after $WARMUP warm-up, $ROUNDS ABBA pairs of (plugins off, plugins on); two stores of 300 variants, tax 8%"
} | tee "$OUT/orders-machine.txt"

# Each store's carts are walked once, in order: a run starts past the carts the earlier ones used
# (wrk states do not share the counter, so each run gets the rest of the list as its own file).
declare -A USED=([off]=0 [on]=0)
# run <side> <label> <connections> <duration> [--latency]
run() {
  local side=$1 label=$2 conns=$3 dur=$4 latency=${5:-}
  tail -n +"$((USED[$side] + 1))" "$OUT/orders-carts-$side-open.tsv" > "$OUT/orders-carts-$label.tsv"
  local a0 d0 q0 a1 d1 q1 p0 p1
  settle; p0=$(placed "$side")
  a0=$(app_ticks); d0=$(ticks "$MARIADB"); q0=$(questions)
  wrk -t1 -c"$conns" -d"$dur" --timeout 30s $latency -s bench/orders.lua "http://127.0.0.1:$PORT" -- "$OUT/orders-carts-$label.tsv" > "$OUT/orders-wrk-$label.txt"
  settle; p1=$(placed "$side")
  a1=$(app_ticks); d1=$(ticks "$MARIADB"); q1=$(questions)
  local n answered
  answered=$(sed -n 's/^RESULT .*requests=\([0-9]*\).*/\1/p' "$OUT/orders-wrk-$label.txt")
  n=$((p1 - p0))
  USED[$side]=$((USED[$side] + answered + conns))
  sed -n "s/^RESULT mode=checkout /RESULT label=$label conns=$conns /p" "$OUT/orders-wrk-$label.txt" |
    sed "s/\$/ placed=$n app_cpu_ms=$(awk -v t=$((a1 - a0)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.2f", n ? t * 1000 / hz / n : 0 }') db_cpu_ms=$(awk -v t=$((d1 - d0)) -v n="$n" -v hz="$HZ" 'BEGIN { printf "%.2f", n ? t * 1000 / hz / n : 0 }') statements=$(awk -v q=$((q1 - q0)) -v n="$n" 'BEGIN { printf "%.1f", n ? q / n : 0 }') load=$(cut -d' ' -f1 /proc/loadavg)/"
}

# Not `run ... | tee`: a pipeline runs `run` in a subshell, its USED count was lost, and the next
# run walked the same carts again; their answers were idempotent replays of orders already
# placed (that is how the c=1 runs came out at 8 ms "per order", issue 27).
record() {
  run "$@" > "$OUT/orders-run.txt"
  cat "$OUT/orders-run.txt" | tee -a "$OUT/orders-results.txt"
  if grep -q ' replayed=[1-9]' "$OUT/orders-run.txt"; then echo "replayed answers in run $2: a cart was sent twice" >&2; exit 1; fi
}
: > "$OUT/orders-results.txt"
# A fresh server spends about twice the CPU per order until its JIT is warm (hundreds of orders):
# without this, the first runs (c=50) paid for it and the last (c=1) did not (issue 27).
for side in off on; do run "$side" "first-warm-$side" "$CONNECTIONS" "$FIRST_WARMUP" > /dev/null; done
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then order="off on"; else order="on off"; fi
  for side in $order; do
    run "$side" "warm-$side-$r" "$CONNECTIONS" "$WARMUP" > /dev/null
    record "$side" "plugins-$side-$r" "$CONNECTIONS" "$DURATION" --latency
  done
done
# Latency alone: one connection.
for side in off on; do record "$side" "alone-plugins-$side" 1 10s --latency; done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/orders-machine.txt"
kill "$APP"; wait "$APP" 2>/dev/null || true; APP=

node --import tsx bench/orders-check.ts
