-- wrk script for the catalog benchmark. Arguments after `--`: <targets.tsv> <mode> [per-store] [walk]
--   mode list-first : GET /store/v1/products?limit=20 of a random tenant (first page)
--   mode list-page  : the same with a random keyset cursor (a page inside the list; never cached)
--   mode detail     : GET /store/v1/products/<id> of a random product
--   per-store n     : only the first n targets of each store (a bounded set: the cached product
--                     page is measured on pages a warm-up has read, not on first reads)
--   walk            : the targets in order, round and round, instead of at random (a warm-up
--                     that reads every page of the set)
-- The tenant is named by the Host header (<slug>.localhost), as a store's own domain would.
local targets = {}
local mode
local walk = false
local step = 0

function init(args)
  local perStore = tonumber(args[3] or "") or 0
  local seen = {}
  for line in io.lines(args[1]) do
    local slug, id, cursor = line:match("([^\t]+)\t([^\t]+)\t([^\t]+)")
    if slug then
      seen[slug] = (seen[slug] or 0) + 1
      if perStore <= 0 or seen[slug] <= perStore then targets[#targets + 1] = { slug, id, cursor } end
    end
  end
  mode = args[2] or "list-first"
  walk = args[4] == "walk"
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local t
  if walk then
    step = step % #targets + 1
    t = targets[step]
  else
    t = targets[math.random(#targets)]
  end
  local path
  if mode == "detail" then
    path = "/store/v1/products/" .. t[2]
  elseif mode == "list-page" then
    path = "/store/v1/products?limit=20&cursor=" .. t[3]
  else
    path = "/store/v1/products?limit=20"
  end
  return wrk.format("GET", path, { ["Host"] = t[1] .. ".localhost" })
end

function done(summary, latency, requests)
  io.write(string.format("RESULT mode=%s requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    mode, summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
