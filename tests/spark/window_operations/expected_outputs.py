#!/usr/bin/env python3
"""How the expected outputs of tests/spark/window_operations/*.lua were computed.

Spark's WindowOperationsSuite (streaming/src/test/scala/org/apache/spark/
streaming/WindowOperationsSuite.scala) states each expected output literally
and lets its helpers (testWindow, testReduceByKeyAndWindow, ...) derive the
rest from their parameters: the window and slide (default Seconds(2) and
Seconds(1)), and numBatches = expectedOutput.size * (slide / batchDuration).
TestSuiteBase.testOperation then runs numBatches batches of 1 s over a
TestInputStream (input(i) at batch i + 1, an empty Seq after the input ends,
2 partitions), collects the output operation's RDD at every slide time and
compares output(i).toSet with expectedOutput(i).toSet (useSet = true).

This script models the DStreams Spark builds for each operation, at the
level of records:
  window(W, S)                 at time t (a multiple of S): the union of the
                               input batches with time in (t - W, t]
  reduceByKeyAndWindow(f, W, S)  reduceByKey(f) over that union
  reduceByKeyAndWindow(f, invF, W, S[, filter])  ReducedWindowedDStream: the
                               previous window's (key, value) pairs, minus
                               (invF) the batches that left, plus (f) the
                               batches that came; a key never leaves unless
                               filterFunc drops it (so a key whose batches
                               all left stays with value 0)
  groupByKeyAndWindow(W, S)    the values of each key over the window
  countByWindow(W, S)          map(_ => 1L).reduceByWindow(+, -, W, S), i.e.
                               map((1, _)).reduceByKeyAndWindow(+, -, W, S, 1)
                               .map(_._2): one count, 0 once the window empties
  countByValueAndWindow(W, S)  map((_, 1L)).reduceByKeyAndWindow(+, -, W, S,
                               n, _._2 != 0L)
  reduceByWindow(f, invF, W, S)  as countByWindow, with the values themselves
It runs each case for numBatches batches, checks that the model gives
Spark's literal expected output (as sets, as Spark compares), and prints the
expected batches as the Lua literal the scenario's expect{} holds.

Run: python3 tests/spark/window_operations/expected_outputs.py
"""

BATCH = 1  # seconds

# ---- the suite's data (WindowOperationsSuite.scala) ---------------------------------

largerSlideInput = [[("a", 1)], [("a", 2)], [("a", 3)], [("a", 4)], [("a", 5)], [("a", 6)], [], []]
largerSlideReduceOutput = [[("a", 3)], [("a", 10)], [("a", 18)], [("a", 11)]]

bigInput = [
    [("a", 1)],
    [("a", 1), ("b", 1)],
    [("a", 1), ("b", 1), ("c", 1)],
    [("a", 1), ("b", 1)],
    [("a", 1)],
    [],
    [("a", 1)],
    [("a", 1), ("b", 1)],
    [("a", 1), ("b", 1), ("c", 1)],
    [("a", 1), ("b", 1)],
    [("a", 1)],
    [],
]

bigGroupByOutput = [
    [("a", [1])],
    [("a", [1, 1]), ("b", [1])],
    [("a", [1, 1]), ("b", [1, 1]), ("c", [1])],
    [("a", [1, 1]), ("b", [1, 1]), ("c", [1])],
    [("a", [1, 1]), ("b", [1])],
    [("a", [1])],
    [("a", [1])],
    [("a", [1, 1]), ("b", [1])],
    [("a", [1, 1]), ("b", [1, 1]), ("c", [1])],
    [("a", [1, 1]), ("b", [1, 1]), ("c", [1])],
    [("a", [1, 1]), ("b", [1])],
    [("a", [1])],
]

bigReduceOutput = [
    [("a", 1)],
    [("a", 2), ("b", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 1)],
    [("a", 1)],
    [("a", 1)],
    [("a", 2), ("b", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 1)],
    [("a", 1)],
]

bigReduceInvOutput = [
    [("a", 1)],
    [("a", 2), ("b", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 1), ("c", 0)],
    [("a", 1), ("b", 0), ("c", 0)],
    [("a", 1), ("b", 0), ("c", 0)],
    [("a", 2), ("b", 1), ("c", 0)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 2), ("c", 1)],
    [("a", 2), ("b", 1), ("c", 0)],
    [("a", 1), ("b", 0), ("c", 0)],
]

seq6 = [[0], [1], [2], [3], [4], [5]]

# ---- the model ------------------------------------------------------------------------


def batch_at(inp, t):
    """TestInputStream: input(t / batch - 1), or an empty Seq past the input."""
    i = t // BATCH - 1
    return inp[i] if 0 <= i < len(inp) else []


def window_records(inp, t, w):
    out = []
    for u in range(max(BATCH, t - w + BATCH), t + 1, BATCH):
        out.extend(batch_at(inp, u))
    return out


def reduce_by_key(pairs, f):
    acc = {}
    for k, v in pairs:
        acc[k] = f(acc[k], v) if k in acc else v
    return list(acc.items())


def slide_times(num_batches, s):
    return [t for t in range(s, num_batches * BATCH + 1, s)]


def run_window(inp, n_out, w, s):
    nb = n_out * (s // BATCH)
    return [window_records(inp, t, w) for t in slide_times(nb, s)]


def run_reduce(inp, n_out, w, s):
    nb = n_out * (s // BATCH)
    return [reduce_by_key(window_records(inp, t, w), lambda x, y: x + y) for t in slide_times(nb, s)]


def run_reduce_inv(inp, n_out, w, s, filt=None):
    """ReducedWindowedDStream.compute, key by key."""
    nb = n_out * (s // BATCH)
    state = {}
    outs = []
    for t in slide_times(nb, s):
        prev_begin, prev_end = t - s - w, t - s  # previous window (prev_begin, prev_end]
        old = [kv for u in range(prev_begin + BATCH, t - w + 1, BATCH) if u > 0 for kv in batch_at(inp, u)]
        new = [kv for u in range(prev_end + BATCH, t + 1, BATCH) if u > 0 for kv in batch_at(inp, u)]
        old_r, new_r = dict(reduce_by_key(old, lambda x, y: x + y)), dict(reduce_by_key(new, lambda x, y: x + y))
        nxt = {}
        for k in set(state) | set(old_r) | set(new_r):
            if k not in state:
                assert k in new_r, "Neither previous window has value for key, nor new values found"
                nxt[k] = new_r[k]
            else:
                v = state[k]
                if k in old_r:
                    v = v - old_r[k]
                if k in new_r:
                    v = v + new_r[k]
                nxt[k] = v
        if filt:
            nxt = {k: v for k, v in nxt.items() if filt((k, v))}
        state = nxt
        outs.append(sorted(state.items()))
    return outs


def run_group(inp, n_out, w, s):
    nb = n_out * (s // BATCH)
    outs = []
    for t in slide_times(nb, s):
        g = {}
        for k, v in window_records(inp, t, w):
            g.setdefault(k, []).append(v)
        outs.append([(k, frozenset(vs)) for k, vs in g.items()])  # .map(x => (x._1, x._2.toSet))
    return outs


def run_count_by_window(inp, n_out, w, s):
    keyed = [[(1, 1) for _ in b] for b in inp]
    return [[v for _, v in out] for out in run_reduce_inv(keyed, n_out, w, s)]


def run_count_by_value_and_window(inp, n_out, w, s):
    keyed = [[(x, 1) for x in b] for b in inp]
    return run_reduce_inv(keyed, n_out, w, s, filt=lambda kv: kv[1] != 0)


def run_reduce_by_window_inv(inp, n_out, w, s):
    keyed = [[(1, x) for x in b] for b in inp]
    return [[v for _, v in out] for out in run_reduce_inv(keyed, n_out, w, s)]


def run_reduce_by_window(inp, n_out, w, s):
    nb = n_out * (s // BATCH)
    outs = []
    for t in slide_times(nb, s):
        recs = window_records(inp, t, w)
        outs.append([sum(recs)] if recs else [])
    return outs


# ---- the cases: (scenario, model output, Spark's literal expected output) -----------------

CASES = [
    ("window_basic", run_window(seq6, 6, 2, 1), [[0], [0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]),
    ("window_tumbling", run_window(seq6, 3, 2, 2), [[0, 1], [2, 3], [4, 5]]),
    ("window_larger", run_window(seq6, 4, 4, 2), [[0, 1], [0, 1, 2, 3], [2, 3, 4, 5], [4, 5]]),
    ("window_non_overlapping", run_window(seq6, 2, 2, 3), [[1, 2], [4, 5]]),
    ("reduceByKeyAndWindow_basic_reduction", run_reduce([[("a", 1), ("a", 3)]], 1, 2, 1), [[("a", 4)]]),
    ("reduceByKeyAndWindow_key_already_in_window", run_reduce([[("a", 1)], [("a", 1)]], 2, 2, 1),
     [[("a", 1)], [("a", 2)]]),
    ("reduceByKeyAndWindow_new_key_added", run_reduce([[("a", 1)], [("a", 1), ("b", 1)]], 2, 2, 1),
     [[("a", 1)], [("a", 2), ("b", 1)]]),
    ("reduceByKeyAndWindow_key_removed", run_reduce([[("a", 1)], [("a", 1)], [], []], 4, 2, 1),
     [[("a", 1)], [("a", 2)], [("a", 1)], []]),
    ("reduceByKeyAndWindow_larger_slide", run_reduce(largerSlideInput, 4, 4, 2), largerSlideReduceOutput),
    ("reduceByKeyAndWindow_big_test", run_reduce(bigInput, 12, 2, 1), bigReduceOutput),
    ("reduceByKeyAndWindow_inv_basic_reduction", run_reduce_inv([[("a", 1), ("a", 3)]], 1, 2, 1), [[("a", 4)]]),
    ("reduceByKeyAndWindow_inv_key_already_in_window", run_reduce_inv([[("a", 1)], [("a", 1)]], 2, 2, 1),
     [[("a", 1)], [("a", 2)]]),
    ("reduceByKeyAndWindow_inv_new_key_added", run_reduce_inv([[("a", 1)], [("a", 1), ("b", 1)]], 2, 2, 1),
     [[("a", 1)], [("a", 2), ("b", 1)]]),
    ("reduceByKeyAndWindow_inv_key_removed", run_reduce_inv([[("a", 1)], [("a", 1)], [], []], 4, 2, 1),
     [[("a", 1)], [("a", 2)], [("a", 1)], [("a", 0)]]),
    ("reduceByKeyAndWindow_inv_larger_slide", run_reduce_inv(largerSlideInput, 4, 4, 2), largerSlideReduceOutput),
    ("reduceByKeyAndWindow_inv_big_test", run_reduce_inv(bigInput, 12, 2, 1), bigReduceInvOutput),
    ("reduceByKeyAndWindow_inv_filter_big_test",
     run_reduce_inv(bigInput, 12, 2, 1, filt=lambda kv: kv[1] != 0), bigReduceOutput),
    ("groupByKeyAndWindow", run_group(bigInput, 12, 2, 1),
     [[(k, frozenset(v)) for k, v in b] for b in bigGroupByOutput]),
    ("countByWindow", run_count_by_window([[1], [1], [1, 2], [0], [], []], 6, 2, 1),
     [[1], [2], [3], [3], [1], [0]]),
    ("countByValueAndWindow", run_count_by_value_and_window([["a"], ["b", "b"], ["a", "b"]], 3, 2, 1),
     [[("a", 1)], [("a", 1), ("b", 2)], [("a", 1), ("b", 3)]]),
    # JavaAPISuite.testReduceByWindow (WindowOperationsSuite has no reduceByWindow test)
    ("reduceByWindow_inv", run_reduce_by_window_inv([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 4, 2, 1),
     [[6], [21], [39], [24]]),
    ("reduceByWindow", run_reduce_by_window([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 4, 2, 1),
     [[6], [21], [39], [24]]),
]


def lua(v):
    if isinstance(v, str):
        return '"%s"' % v
    if isinstance(v, (tuple, list)):
        return "{ " + ", ".join(lua(x) for x in v) + " }" if v else "{}"
    if isinstance(v, frozenset):
        return lua(sorted(v))
    return str(v)


def main():
    for name, got, spark in CASES:
        assert len(got) == len(spark), (name, got, spark)
        for g, e in zip(got, spark):
            assert set(g) == set(e), (name, g, e)
        print("%s: %d outputs, as Spark's" % (name, len(got)))
        for b in got:
            print("  " + lua(sorted(b, key=repr)) + ",")


if __name__ == "__main__":
    main()
