#!/usr/bin/env bash
# Request filter on vs off, measured at the same moment: two identical app processes (one
# process each, no cluster), the first loaded with the stores that have the filter on and the
# second with the matched stores that have it off, by two wrk instances running side by side.
# On a shared VM the speed of the cores drifts by 10-30% from one run to the next; here both
# sides live through the same drift, so their ratio holds still where bench/waf.sh's run-after-run
# pairs scatter (59-142% for one pair). The processes swap roles every round, so that neither
# the process nor its place in the scheduler favours one side.
# Per round: req/s of each side and CPU time per request of each process (user + system, every
# thread, from /proc). The CPU ratio is the figure: the two processes share the cores fairly, so
# req/s says the same through the scheduler's lens. Same seed and prerequisites as bench/waf.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/11}"
: "${DURATION:=10s}"
: "${WARMUP:=5s}"
: "${CONNECTIONS:=25}"     # per side
: "${ROUNDS:=6}"
: "${SHOPPERS:=10000}"
: "${PORTS:=3310 3311}"
: "${ON_SETTINGS:=}"
: "${APP_CPU=}"           # a core for both app processes (taskset; default: anywhere), LOAD_CPU for the load
: "${LOAD_CPU=}"
export DATABASE_URL REDIS_URL BENCH_WORKERS=1 NODE_ENV=production LOG_LEVEL=warn
export BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}'

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
TARGETS=bench/out/targets-100.tsv
[ -f "$TARGETS" ] || { echo "seed first: DATABASE_URL=$DATABASE_URL node --import tsx bench/seed.ts --reset" >&2; exit 2; }
[ "${SKIP_BUILD:-0}" = 1 ] || npx tsc -p bench/tsconfig.json
OUT=bench/out
RESULTS=$OUT/waf-twin-results.txt
: > "$RESULTS"
. bench/waf-halves.sh
split_halves "$TARGETS" "$OUT"
HALF_SHOPPERS=$((SHOPPERS / 2))
read -r PORT_A PORT_B <<< "$PORTS"

APPS=()
cleanup() {
  for p in "${APPS[@]}"; do kill "$p" 2>/dev/null || true; done
  toggle cleanup "$TARGETS" > /dev/null 2>&1 || true
}
trap cleanup EXIT

{
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "software: node $(node -v), $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/'), redis $(redis-cli -v | cut -d' ' -f2), wrk $(wrk -v 2>&1 | head -1 | cut -d' ' -f2)"
  echo "setup: two app processes (one each, no cluster) measured at the same time, one serving 50 stores with the filter on and the other 50 alike with it off, each by its own wrk -t1 -c$CONNECTIONS; $ROUNDS rounds of $DURATION after $WARMUP of warm-up, the processes swapping sides every round; 100 returning shoppers per store via X-Forwarded-For"
} | tee "$OUT/waf-twin-machine.txt"

toggle on "$OUT/targets-waf-on.tsv" "$ON_SETTINGS" > /dev/null
toggle off "$OUT/targets-waf-off.tsv" > /dev/null
for port in $PORT_A $PORT_B; do
  PORT=$port ${APP_CPU:+taskset -c "$APP_CPU"} node bench/out/dist/bench/server.js >> "$OUT/waf-twin-app.log" 2>&1 &
  APPS+=($!)
done
for port in $PORT_A $PORT_B; do
  for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
done

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
wrk_side() { # wrk_side <on|off> <port> <duration> [wrk options]
  ${LOAD_CPU:+taskset -c "$LOAD_CPU"} wrk -t1 -c"$CONNECTIONS" -d"$3" "${@:4}" -s bench/waf.lua "http://127.0.0.1:$2" -- "$OUT/targets-waf-$1.tsv" "$HALF_SHOPPERS" shoppers
}

# Both processes warmed on both halves (they swap sides).
for port in $PORT_A $PORT_B; do
  wrk_side on "$port" "$WARMUP" > /dev/null & w=$!; wrk_side off "$port" "$WARMUP" > /dev/null; wait "$w"
done

HZ=$(getconf CLK_TCK)
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then on_i=0 off_i=1 on_port=$PORT_A off_port=$PORT_B; else on_i=1 off_i=0 on_port=$PORT_B off_port=$PORT_A; fi
  wrk_side on "$on_port" "$WARMUP" > /dev/null & w=$!; wrk_side off "$off_port" "$WARMUP" > /dev/null; wait "$w"
  on0=$(ticks "${APPS[$on_i]}"); off0=$(ticks "${APPS[$off_i]}")
  wrk_side on "$on_port" "$DURATION" --latency > "$OUT/wrk-twin-on-$r.txt" & w=$!
  wrk_side off "$off_port" "$DURATION" --latency > "$OUT/wrk-twin-off-$r.txt"
  wait "$w"
  on1=$(ticks "${APPS[$on_i]}"); off1=$(ticks "${APPS[$off_i]}")
  for side in on off; do
    if [ $side = on ]; then d=$((on1 - on0)); else d=$((off1 - off0)); fi
    sed -n "s/^RESULT mode=[^ ]* /RESULT label=$side-$r /p" "$OUT/wrk-twin-$side-$r.txt" |
      awk -v d="$d" -v hz="$HZ" '{ match($0, /requests=[0-9]+/); n = substr($0, RSTART + 9, RLENGTH - 9); printf "%s app_cpu_us=%.1f\n", $0, d * 1e6 / hz / n }' | tee -a "$RESULTS"
  done
done

node --import tsx bench/waf-twin-report.ts "$OUT/waf-twin-machine.txt" "$RESULTS"
