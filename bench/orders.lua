-- wrk script for the orders benchmark: each request places the order of the next seeded cart
-- (3 lines, offline bank transfer), with its cart token and an Idempotency-Key, as a shop front
-- would. Argument after `--`: <orders-carts.tsv> (host, cart id, token; from orders-seed.ts).
-- Run with -t1: one Lua state walks the list, so no cart is checked out twice.
local carts = {}
local next_cart = 0
-- Answers that were idempotent replays (the cart was sent before with the same key): a run must
-- have none, or it measures replays instead of checkouts (issue 27).
replayed = 0 -- a global: done() reads it from the thread's state with thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if headers["Idempotent-Replayed"] or headers["idempotent-replayed"] then
    replayed = replayed + 1
  end
end

function init(args)
  for line in io.lines(args[1]) do
    local host, id, token = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    if host then carts[#carts + 1] = { host, id, token } end
  end
end

function request()
  next_cart = next_cart + 1
  local c = carts[next_cart]
  if c == nil then error("out of seeded carts: seed more") end
  return wrk.format("POST", "/store/v1/carts/" .. c[2] .. "/checkout", {
    ["Host"] = c[1],
    ["X-Cart-Token"] = c[3],
    ["Idempotency-Key"] = "bench-" .. c[2],
    ["Content-Type"] = "application/json",
  }, "{}")
end

function done(summary, latency, requests)
  local replays = 0
  for _, t in ipairs(threads) do replays = replays + (tonumber(t:get("replayed")) or 0) end
  io.write(string.format("RESULT mode=checkout requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f errors=%d non2xx=%d replayed=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status, replays))
end
