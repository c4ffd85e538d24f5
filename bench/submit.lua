-- wrk script of bench/submit.py: POSTs one full questionnaire per request, each with its own
-- submission token and its own client address (X-Forwarded-For, trusted from 127.0.0.1 by
-- uvicorn's proxy headers), as citizens behind a proxy would send them.
-- Arguments (after --): run label, and optionally a rate in requests/s per wrk thread: requests
-- then leave on a fixed schedule (a connection waits for its slot), not as fast as replies come.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]])
local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}
local counter = 0
local label = "run"
local rate = 0
local started = nil
local scheduled = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  label = args[1] or label
  rate = tonumber(args[2] or "0")
end

function delay()
  if rate <= 0 then
    return 0
  end
  local now = now_ms()
  started = started or now
  scheduled = scheduled + 1
  return math.max(0, math.floor(started + scheduled * 1000 / rate - now))
end

request = function()
  counter = counter + 1
  local token = string.format("wrk-%s-%d-%d", label, tid, counter)
  local address = string.format("10.%d.%d.%d", tid % 256, math.floor(counter / 256) % 256, counter % 256)
  local body = '{"answers":{"U1":4,"U2":3,"U3":4,"U4":3,"U5":4,"U6":3,"U7":4,"U8":3,"U9":4},'
    .. '"service":"UTAMA","profile":{"jenis_kelamin":"P","usia":34,"pendidikan":"S1",'
    .. '"pekerjaan":"Swasta"},"saran":"Antrean di loket cukup cepat.","submission_token":"'
    .. token .. '"}'
  local headers = { ["Content-Type"] = "application/json", ["X-Forwarded-For"] = address }
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local bad = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %.3f, \"rps\": %.1f, \"p50_ms\": %.2f, "
      .. "\"p99_ms\": %.2f, \"max_ms\": %.2f, \"errors\": %d}\n",
    summary.requests, seconds, summary.requests / seconds, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad))
end
