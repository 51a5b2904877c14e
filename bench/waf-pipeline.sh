#!/usr/bin/env bash
# bench/waf-pipeline.ts with its setup: bench/waf.sh's two halves of the seeded stores (filter on
# for one, off for the other), the app compiled, then ROUNDS pairs of BLOCK in-memory requests.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DATABASE_URL:=mysql://bazaar:bazaar@127.0.0.1:3306/bazaar_bench}"
: "${REDIS_URL:=redis://127.0.0.1:6379/11}"
: "${ROUNDS:=6}"
: "${BLOCK:=20000}"
: "${ON_SETTINGS:=}"
export DATABASE_URL REDIS_URL NODE_ENV=production LOG_LEVEL=warn
export BAZAAR_PLUGIN_OPTIONS='{"waf":{"trustedProxies":["127.0.0.1"]}}'
TARGETS=bench/out/targets-100.tsv
[ -f "$TARGETS" ] || { echo "seed first: DATABASE_URL=$DATABASE_URL node --import tsx bench/seed.ts --reset" >&2; exit 2; }
OUT=bench/out
. bench/waf-halves.sh
split_halves "$TARGETS" "$OUT"
npx tsc -p bench/tsconfig.json
trap 'toggle cleanup "$TARGETS" > /dev/null 2>&1 || true' EXIT
toggle on "$OUT/targets-waf-on.tsv" "$ON_SETTINGS" > /dev/null
toggle off "$OUT/targets-waf-off.tsv" > /dev/null
node ${NODE_FLAGS:-} bench/out/dist/bench/waf-pipeline.js "$ROUNDS" "$BLOCK"
