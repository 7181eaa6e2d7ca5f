-- main: what streamlab is for, on real data.
--
-- The input is the real access log of the NASA Kennedy Space Center web
-- server, 3 July 1995, 09:09:23 to 12:01:30 (US Eastern time, as the log
-- writes it): 13,570 requests in Common Log Format
-- (scenarios/data/nasa-http-1995, with its provenance). Only aggregate
-- traffic is computed, never anything about a single host, as the dataset's
-- publishers ask.
--
-- The log is replayed 60 times faster than it happened: one simulated second
-- is one minute of the log, so its three hours play in under three minutes.
-- The records' own timestamps are their event time. The log itself is in
-- order; THE SIMULATOR ADDS THE DISORDER: a seeded arrival model delays 8% of
-- the records by 1 to 8 simulated seconds (1 to 8 minutes of the log) and 2%
-- by 60 to 90 seconds, so that some arrive late and out of order.
--
-- Two jobs read the same replayable log (a Kafka-like topic, 2 partitions):
--   * Structured Streaming, every 5 s: requests per HTTP status in sliding
--     event-time windows (10 minutes, sliding every 5) with a 10-minute
--     watermark, upserted into an idempotent key-value sink; an alert query
--     shows every minute with five or more HTTP 500s (the log holds a real
--     burst: 53 errors from /cgi-bin/geturlstats.pl, 10:49:40 to 10:55:47);
--     a third query counts lines that do not parse (none in this file: a bad
--     line would be counted there, never a crash).
--   * DStreams, every 10 s: requests per URL over the last 60 s (an hour of
--     the log) with reduceByKeyAndWindow and its inverse function, and the
--     top five pages printed at each slide.
-- During the run worker-2 crashes, worker-1 becomes a straggler and the
-- driver crashes after a batch was written to its sink but before it was
-- committed. `streamlab check scenarios/main.lua` compares the sinks and the
-- printed pages with a run without these faults: exactly-once.
--
-- Why the very late records are 60 to 90 minutes late: Spark promises only
-- that a record less late than the watermark delay is never dropped; one
-- later than that "may or may not" be counted, depending on where the batch
-- boundaries fall (programming guide, "Handling Late Data and
-- Watermarking"). A crash moves batch boundaries. Make the late records 10
-- to 20 minutes late and `streamlab check` shows counts that differ.
scenario{ name = "main: NASA web log, 3 July 1995", seed = 1, duration = "185s" }

-- ---- parsing the log ----------------------------------------------------------------------
local MONTHS = { Jan = 1, Feb = 2, Mar = 3, Apr = 4, May = 5, Jun = 6,
                 Jul = 7, Aug = 8, Sep = 9, Oct = 10, Nov = 11, Dec = 12 }

-- Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar).
local function days_from_civil(y, m, d)
  y = (m <= 2) and y - 1 or y
  local era = (y >= 0 and y or y - 399) // 400
  local yoe = y - era * 400
  local doy = (153 * (m + (m > 2 and -3 or 9)) + 2) // 5 + d - 1
  return era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
end

-- host ident user [03/Jul/1995:10:49:40 -0400] "GET /url HTTP/1.0" 500 0
-- gives the time in seconds (the clock time written in the log), the status
-- and the URL; nil for a line that does not parse.
local function parse(line)
  local d, mon, y, hh, mm, ss, req, status = line:match(
    '^%S+ %S+ %S+ %[(%d+)/(%a+)/(%d+):(%d+):(%d+):(%d+) [^%]]*%] "(.-)" (%d%d%d) %S+$')
  if not d or not MONTHS[mon] then return nil end
  local t = days_from_civil(tonumber(y), MONTHS[mon], tonumber(d)) * 86400
            + tonumber(hh) * 3600 + tonumber(mm) * 60 + tonumber(ss)
  return t, tonumber(status), req:match('^%u+%s+(%S+)') or req
end

-- ---- the log, replayed -------------------------------------------------------------------
local START = days_from_civil(1995, 7, 3) * 86400 + 9 * 3600 + 9 * 60 -- 09:09:00 in the log
local SPEEDUP = 60
kafka{ topic = "nasa", partitions = 2, file = "data/nasa-http-1995/NASA_access_log_Jul95.xal",
  arrival = function(line, i)
    local t = parse(line) or START
    local u, delay = math.random(), math.random()
    if u < 0.90 then delay = delay * 0.5          -- on time: within half a second
    elseif u < 0.98 then delay = 1 + delay * 7    -- late: 1 to 8 minutes of the log
    else delay = 60 + delay * 30 end              -- very late: 60 to 90 minutes
    return (t - START) / SPEEDUP + delay, t      -- arrival, and the event time the visualiser plots
  end }

-- ---- DStreams: the top pages of the last hour, every 10 minutes of the log ----------------
local ssc = StreamingContext.getOrCreate("checkpoints/dstream", function()
  local ssc = StreamingContext{ batchDuration = "10s", workers = 3, cores = 2 }
  ssc:checkpoint("checkpoints/dstream")
  local hits = KafkaUtils.createDirectStream(ssc, { "nasa" }, { ["auto.offset.reset"] = "smallest" })
    :map(function(kv) local _, _, url = parse(kv[2]) return { url or "(unparsed)", 1 } end)
    :reduceByKeyAndWindow(add, sub, "60s", "10s", 4, function(kv) return kv[2] > 0 end)
  -- the five busiest pages: one partition, sorted by count then URL
  hits:repartition(1):mapPartitions(function(pages)
    table.sort(pages, function(a, b)
      if a[2] ~= b[2] then return a[2] > b[2] end
      return a[1] < b[1]
    end)
    return { table.unpack(pages, 1, math.min(5, #pages)) }
  end):print(5)
  return ssc
end)
ssc:start()

-- ---- Structured Streaming: status counts in event-time windows, alerts --------------------
local spark = SparkSession{ workers = 3, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
local logs = spark.readStream:format("log"):option("subscribe", "nasa"):load()
local requests = logs:select(
    timestamp_seconds(udf(function(r) return (parse(r.value)) end)):alias("time"),
    udf(function(r) local _, status = parse(r.value) return status end):alias("status"))
  :where(col("time"):isNotNull())
  :withWatermark("time", "10 minutes")

local by_status = requests
  :groupBy(window(col("time"), "10 minutes", "5 minutes"), col("status")):count()
local status = by_status:writeStream():outputMode("update"):format("kv"):option("path", "out/status")
  :option("checkpointLocation", "checkpoints/status"):queryName("status")
  :trigger{ processingTime = "5s" }:start()

local alerts = requests:where(col("status"):geq(500))
  :groupBy(window(col("time"), "1 minute")):count()
  :select(col("window"):getField("start"):alias("minute"), col("count"):alias("http_500"))
  :where(col("http_500"):geq(5))
alerts:writeStream():outputMode("update"):format("console")
  :option("checkpointLocation", "checkpoints/alerts"):queryName("alerts")
  :trigger{ processingTime = "5s" }:start()

logs:where(udf(function(r) return parse(r.value) == nil end))
  :groupBy(lit("unparsed lines")):count()
  :writeStream():outputMode("complete"):format("kv"):option("path", "out/parse_errors")
  :option("checkpointLocation", "checkpoints/parse_errors"):queryName("parse_errors")
  :trigger{ processingTime = "5s" }:start()

-- ---- faults, narration, expectations -----------------------------------------------------
faults{
  { at = "62s", crash = "worker-2", restart_after = "10s" },
  { at = "95s", slow = "worker-1", factor = 8, duration = "20s" },
  { at = "130070ms", crash = "driver", restart_after = "5s" },
}

narrate{ at = "0s", text = "NASA's web log of 3 July 1995, 60x: a second here is a minute of the log. Some records arrive late." }
narrate{ at = "5s", text = "Every 5 s the queries log offsets, count requests by status in event-time windows, upsert, commit." }
narrate{ at = "10s", text = "Every 10 s the DStream job slides its 60 s window of requests per URL and prints the top 5 pages." }
narrate{ at = "62s", text = "worker-2 crashes: its tasks, blocks and state stores are gone. Others redo them from checkpoints." }
narrate{ at = "72s", text = "worker-2 is back, with a new and empty executor." }
narrate{ at = "95s", text = "worker-1 slows down 8x for 20 s: its tasks straggle, batches take longer." }
narrate{ at = "101s", text = "10:49:40 in the log: HTTP 500s begin. The alerts query prints each minute with 5 or more." }
narrate{ at = "130070ms", text = "The driver crashes: batch 25 of the status query reached its sink but is not committed." }
narrate{ at = "136s", text = "Restarted from the checkpoints, the status query runs batch 25 again: the upsert makes it harmless." }
narrate{ at = "180s", text = "The end of the log. streamlab check compares with a run without faults: exactly-once." }

-- Event time as the sink writes it: milliseconds of the log's clock time.
local function at(hh, mm) return (days_from_civil(1995, 7, 3) * 86400 + hh * 3600 + mm * 60) * 1000 end
expect{ query = "alerts", new_rows = {
  { by = "109s", rows = { { minute = at(10, 50), http_500 = 18 }, { minute = at(10, 52), http_500 = 8 } } },
  { by = "114s", rows = { { minute = at(10, 55), http_500 = 21 } } },
  { by = "185s", rows = {} },
} }
expect{ delivery = "exactly-once", events = { recovery_phase = 4, state_load = 15, late_dropped = 22 } }

status:awaitTermination("185s")
