#!/usr/bin/env bash
# tests/scripts/earthquakes_vs_sqlite.sh STREAMLAB OUT_DIR — issue 7's
# real-data check. Runs scenarios/18_natural_lateness.lua, then
# recomputes its answer independently with sqlite3 from the data file alone
# and the batches the run reports (summary.json: each batch's offsets and
# watermark):
#   - the replay order: rows by arrival = (updated - earliest time) / 5040
#     (integer us), ties in file order; a batch reads offsets [start, end);
#   - a row is late when its hour window ends at or before the watermark of
#     the batch before its own (the watermark that judges late rows);
#   - per hour window: the count and the largest magnitude of the rows that
#     were not late must equal what the kv sink holds at the end;
#   - per batch: the distinct hours of its late rows must equal its
#     numRowsDroppedByWatermark.
# Prints one summary line; exits 1 on any difference.
set -euo pipefail
streamlab=$1
out=$2
data=scenarios/data/usgs-earthquakes-2018/earthquakes.json
"$streamlab" run scenarios/18_natural_lateness.lua --quiet --out "$out" > /dev/null
sqlite3 -batch -bail :memory: <<SQL
.mode list
CREATE TABLE quake AS
  SELECT CAST(key AS INTEGER) AS ord,
         json_extract(value, '\$.properties.time') AS t,
         json_extract(value, '\$.properties.updated') AS u,
         json_extract(value, '\$.properties.mag') AS mag
  FROM json_each(readfile('$data'), '\$.features');
CREATE TABLE replay AS
  SELECT ord, t, mag, (t / 3600000) * 3600000 AS hour,
         ROW_NUMBER() OVER (ORDER BY ((u - (SELECT MIN(t) FROM quake)) * 1000) / 5040, ord) - 1 AS offset
  FROM quake;
CREATE TABLE batch AS
  SELECT json_extract(value, '\$.batchId') AS id,
         json_extract(value, '\$.sources[0].startOffset."0"') AS first,
         json_extract(value, '\$.sources[0].endOffset."0"') AS last,
         json_extract(value, '\$.watermarkMs') AS wm,
         json_extract(value, '\$.stateOperators[0].numRowsDroppedByWatermark') AS dropped
  FROM json_each(readfile('$out/summary.json'), '\$.queries[0].progress');
CREATE TABLE judged AS
  SELECT r.*, b.id AS batch,
         COALESCE((SELECT p.wm FROM batch p WHERE p.id = b.id - 1), 0) AS late_wm
  FROM replay r JOIN batch b ON r.offset >= b.first AND r.offset < b.last;
CREATE TABLE expected AS
  SELECT hour, COUNT(*) AS events, MAX(mag) AS max_mag FROM judged
  WHERE hour + 3600000 > late_wm GROUP BY hour;
CREATE TABLE got AS
  SELECT json_extract(value, '\$.window.start') AS hour, json_extract(value, '\$.events') AS events,
         json_extract(value, '\$.max_mag') AS max_mag
  FROM json_each(readfile('$out/sinks.jsonl'), '\$.rows');
SELECT 'rows read ' || (SELECT COUNT(*) FROM judged) || ' of ' || (SELECT COUNT(*) FROM replay) WHERE
  (SELECT COUNT(*) FROM judged) != (SELECT COUNT(*) FROM replay);
SELECT 'window ' || e.hour || ': expected ' || e.events || ' events, max ' || e.max_mag || '; got ' ||
       IFNULL(g.events, 'none') || ', max ' || IFNULL(g.max_mag, 'none')
  FROM expected e LEFT JOIN got g ON g.hour = e.hour
  WHERE g.hour IS NULL OR g.events != e.events OR g.max_mag != e.max_mag;
SELECT 'window ' || g.hour || ' in the sink, not expected' FROM got g
  WHERE g.hour NOT IN (SELECT hour FROM expected);
SELECT 'batch ' || b.id || ': expected ' || IFNULL(l.n, 0) || ' late windows, numRowsDroppedByWatermark ' || b.dropped
  FROM batch b LEFT JOIN (SELECT batch, COUNT(DISTINCT hour) AS n FROM judged WHERE hour + 3600000 <= late_wm
                          GROUP BY batch) l ON l.batch = b.id
  WHERE IFNULL(l.n, 0) != b.dropped;
SELECT 'agrees: ' || (SELECT COUNT(*) FROM expected) || ' hour windows, ' ||
       (SELECT COUNT(*) FROM judged WHERE hour + 3600000 <= late_wm) || ' late rows dropped of ' ||
       (SELECT COUNT(*) FROM judged) || ', ' || (SELECT COUNT(*) FROM batch) || ' batches';
SQL
