#!/usr/bin/env python3
"""Writes tests/viz/eventtime.jsonl: a small synthetic Structured Streaming
trace (record arrivals out of order, offset and commit logs, a watermark
trailing the max event time by 4 s, late rows dropped, sink writes), in the
schema of engine/trace_events.h. The engine emits these events now (a
replay source or an arrival function's event times, with --trace-records);
the fixture stays: small, fixed, with late rows in every few batches, for
the event-time panel's tests and the trace reader's fuzzing."""
import json, random

random.seed(3)
L = []
def ev(t, name, node=1, **kw): L.append(dict(t_us=t, ev=name, node=node, **kw))
ev(0, "run_start", 0, seed=1, duration_us=20000000, workers=2, cores=2, text="late data and the watermark (synthetic)")
ev(0, "node_up", 1, incarnation=1, cores=0, text="driver")
ev(0, "node_up", 2, incarnation=1, cores=2, text="worker-1")
ev(0, "node_up", 3, incarnation=1, cores=2, text="worker-2")
ev(0, "narration", 0, text="Records arrive out of order; the watermark trails the max event time by 4 s.")
recs = []
for i in range(160):
    arr = random.randint(100000, 19900000)
    et = max(0, arr - random.choice([0, 200000, 500000, 1000000, 2500000, 7000000]))
    recs.append((arr, et))
recs.sort()
for a, e in recs: ev(a, "record_arrival", 2, stream=0, event_time_us=e)
wm = 0
for k in range(1, 21):
    t, b = k * 1000000, k - 1
    ev(t, "offset_log", 1, batch_id=b, bytes=100)
    ev(t, "batch_generated", 1, batch_time_us=t, blocks=0, records=sum(1 for a, e in recs if t - 1000000 <= a < t), jobs=1)
    ev(t, "batch_started", 1, batch_time_us=t, scheduling_delay_us=0)
    ev(t + 1000, "task_start", 1, stage=k, partition=0, attempt=0, executor=2 + k % 2)
    ev(t + 30000, "task_end", 1, stage=k, partition=0, attempt=0, records=10)
    late = sum(1 for a, e in recs if t - 1000000 <= a < t and e < wm)
    if late: ev(t + 30000, "late_dropped", 1, batch_id=b, rows=late)
    ev(t + 30000, "state_update", 1, operator=0, partition=0, version=b + 1, keys=5)
    ev(t + 40000, "sink_write", 1, output=0, batch_id=b, rows=1 + k % 5, text="counts")  # a query's sink names it
    ev(t + 40000, "commit_log", 1, batch_id=b, bytes=50)
    wm = max(wm, max([0] + [e for a, e in recs if a < t]) - 4000000)
    ev(t + 40000, "watermark", 1, batch_id=b, watermark_us=wm)
    ev(t + 40000, "batch_done", 1, batch_time_us=t, processing_delay_us=40000, total_delay_us=40000)
ev(20000000, "run_end", 0, events=len(L) + 1, batches=20)
L.sort(key=lambda o: o["t_us"])  # stable: same-time events keep their order
with open(__file__.replace("gen_eventtime_trace.py", "eventtime.jsonl"), "w") as f:
    f.write('{"trace":"streamlab","schema_version":1}\n')
    for o in L: f.write(json.dumps(o, separators=(",", ":")) + "\n")
