-- wrk script for the request-filter benchmark: the catalog list of a random store, from one of
-- its shoppers. Arguments after `--`: <targets.tsv> <addresses> <pool>
--   GET /store/v1/products?limit=20 of a random store (Host: <slug>.localhost) with
--   X-Forwarded-For set to a client address (the app trusts 127.0.0.1 as its proxy), as behind a
--   load balancer. Pool `shoppers`: each store has addresses/stores shoppers of its own, who come
--   back (a session makes tens of API calls). Pool `random`: any of <addresses> addresses on any
--   store, almost every request from someone new (the worst case for the filter's memos).
-- Filter on and off send exactly the same requests.
local slugs = {}
local addresses, perStore, pool

function init(args)
  local seen = {}
  for line in io.lines(args[1]) do
    local slug = line:match("([^\t]+)\t")
    if slug and not seen[slug] then
      seen[slug] = true
      slugs[#slugs + 1] = slug
    end
  end
  addresses = tonumber(args[2] or "10000")
  pool = args[3] or "shoppers"
  perStore = math.max(1, math.floor(addresses / #slugs))
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  local s = math.random(#slugs)
  local n
  if pool == "random" then n = math.random(addresses) - 1 else n = (s - 1) * perStore + math.random(perStore) - 1 end
  local ip = string.format("10.%d.%d.%d", math.floor(n / 65536) % 256, math.floor(n / 256) % 256, n % 256)
  return wrk.format("GET", "/store/v1/products?limit=20", {
    ["Host"] = slugs[s] .. ".localhost",
    ["X-Forwarded-For"] = ip,
    ["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
    ["Accept"] = "application/json",
  })
end

function done(summary, latency, requests)
  io.write(string.format("RESULT mode=waf requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
