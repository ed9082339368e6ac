-- wrk script: replays the raw HTTP requests of a file, each once, in order (bench/bench_http.cpp
-- writes the file: every entry is "<size>\n" followed by exactly <size> bytes of request).
--
--   wrk -t1 -cN -dS -s replay.lua URL -- FILE [OFFSET] [LIMIT]
--
-- OFFSET: the byte where this run's entries begin (earlier entries were sent by an earlier run).
-- LIMIT:  0 runs for wrk's duration; N stops once N answers came back (a burst of N requests).
-- At the end of the file it starts again at OFFSET, and counts it (`wraps`): a repeated request
-- is a duplicate to the server, so a run meant to send distinct events must not wrap.
-- done() prints one line, "wrk-json: {...}", that the driver reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  file = assert(io.open(args[1], "rb"))
  start = tonumber(args[2] or "0")
  limit = tonumber(args[3] or "0")
  file:seek("set", start)
  sent, wraps, answered = 0, 0, 0
  if limit > 0 then
    -- Defined only for a burst: wrk parses the answers' headers for Lua only when asked to.
    response = function(status, headers, body)
      answered = answered + 1
      if answered >= limit then wrk.thread:stop() end
    end
  end
end

local function next_size()
  local line = file:read("*l")
  if line == nil or line == "" then
    file:seek("set", start)
    wraps = wraps + 1
    line = file:read("*l")
  end
  return tonumber(line)
end

function request()
  local size = next_size()
  sent = sent + 1
  return file:read(size)
end

function done(summary, latency, requests)
  local sent_total, wraps_total = 0, 0
  for _, thread in ipairs(threads) do
    sent_total = sent_total + thread:get("sent")
    wraps_total = wraps_total + thread:get("wraps")
  end
  local e = summary.errors
  io.write(string.format(
    'wrk-json: {"duration_us":%d,"answered":%d,"sent":%d,"wraps":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    summary.duration, summary.requests, sent_total, wraps_total,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max, latency.mean))
end
