-- wrk script for the bare Koa ceiling. It builds each request the way catalog.lua does (a
-- random store's Host header), so the load generator costs the same in every run; the bare
-- server ignores the Host. Prints the same RESULT line as catalog.lua.
local hosts = {}

function init(args)
  for line in io.lines(args[1]) do
    local slug = line:match("([^\t]+)\t")
    if slug then hosts[#hosts + 1] = slug .. ".localhost" end
  end
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
end

function request()
  return wrk.format("GET", wrk.path, { ["Host"] = hosts[math.random(#hosts)] })
end

function done(summary, latency, requests)
  io.write(string.format("RESULT mode=bare requests=%d duration_us=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
