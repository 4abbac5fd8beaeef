-- wrk script for `make load` (tools/load.py): every connection walks the list of addresses in
-- the file named by the first argument (one a line), each thread from its own place, and the
-- status of every answer is counted. done() prints one line, "LOAD {json}", for load.py.
-- With the second argument "browser" (the default of load.py) every request looks like a new
-- reader's: a browser User-Agent with its own build number, Accept-Language, and an
-- X-Forwarded-For address of its own (the portal runs with DJANGO_BEHIND_PROXY=true), so that
-- visits are counted and deduplicated as real traffic is; "bot" sends no User-Agent.

threads = {}
local paths, position = {}, 0
statuses = {}  -- global: done() reads it from every thread

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do
    if line ~= "" then table.insert(paths, line) end
  end
  position = (id or 0) * 7
  browser = args[2] ~= "bot"
  math.randomseed(os.time() + (id or 0) * 7919)
end

local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.%d.%d Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.%d.%d Safari/605.1.15",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.%d(0x1800%d) NetType/WIFI Language/zh_CN",
  "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.%d.%d",
}

function request()
  position = position % #paths + 1
  if not browser then
    return wrk.format("GET", paths[position])
  end
  local headers = {
    ["User-Agent"] = string.format(agents[math.random(#agents)], math.random(0, 9999), math.random(0, 999)),
    ["Accept-Language"] = "zh-CN,zh;q=0.9,en;q=0.8",
    ["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254)),
  }
  return wrk.format("GET", paths[position], headers)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses") or {}) do
      totals[tostring(status)] = (totals[tostring(status)] or 0) + count
    end
  end
  local counts = {}
  for status, count in pairs(totals) do
    table.insert(counts, string.format('"%s": %d', status, count))
  end
  local errors = summary.errors
  io.write(string.format(
    'LOAD {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "timeout": %d, "statuses": {%s}}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, errors.connect, errors.read, errors.write, errors.timeout,
    table.concat(counts, ", ")))
end
