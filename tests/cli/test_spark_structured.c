/* tests/cli/test_spark_structured.c — Structured Streaming, checked against
 * Spark's own test suites: EventTimeWatermarkSuite, StreamingAggregationSuite
 * and StreamingDeduplicationSuite (sql/core/src/test/scala/org/apache/spark/
 * sql/streaming/) and DataFrameTimeWindowingSuite (window assignment),
 * ported case by case as scenarios in tests/spark/structured/ with Spark's
 * inputs and expected outputs (each scenario's header cites its test; the
 * README there lists them); and the Structured Streaming Programming
 * Guide's windowed word count with a watermark, in update and append modes
 * (tests/scenarios/guide/ss_watermark_*.lua).
 *
 * A scenario that agrees with Spark exits 0 with nothing on stderr: its
 * expect{ query = ... } held (or, for a case Spark rejects, the script failed
 * with exactly the expected message). A disabled test is a case where
 * streamlab differs from Spark; the comment says how. */
#include <criterion/criterion.h>
#include <string.h>

#include "../support/proc.h"

#define RUN_TIMEOUT_S 60
#define DIR "tests/spark/structured/"

static void expect_ok(const char *scenario) {
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, &r), 0, "could not start %s", argv[0]);
    cr_expect_eq(r.code, 0, "%s: exit %d, stderr: %s", scenario, r.code, r.err);
    cr_expect_str_eq(r.err, "", "%s", scenario);
    char digest[17];
    int expected_error = strncmp(r.out, "expected error: ", 16) == 0;
    cr_expect(expected_error || digest_of(r.out, digest) == 0, "%s: stdout: %s", scenario, r.out);
    cr_expect_eq(count_lines_starting(r.out, ""), 1, "%s: stdout is more than one line: %s", scenario, r.out);
    proc_result_free(&r);
}

Test(DataFrameTimeWindowingSuite, millisecond_precision) { expect_ok(DIR "DataFrameTimeWindowingSuite_millisecond_precision.lua"); }
Test(DataFrameTimeWindowingSuite, negative_timestamps) { expect_ok(DIR "DataFrameTimeWindowingSuite_negative_timestamps.lua"); }
Test(DataFrameTimeWindowingSuite, null_timestamps) { expect_ok(DIR "DataFrameTimeWindowingSuite_null_timestamps.lua"); }
Test(DataFrameTimeWindowingSuite, sliding_window_grouping) { expect_ok(DIR "DataFrameTimeWindowingSuite_sliding_window_grouping.lua"); }
Test(DataFrameTimeWindowingSuite, start_time) { expect_ok(DIR "DataFrameTimeWindowingSuite_start_time.lua"); }
Test(DataFrameTimeWindowingSuite, tumbling_multi_column_projection) { expect_ok(DIR "DataFrameTimeWindowingSuite_tumbling_multi_column_projection.lua"); }
Test(DataFrameTimeWindowingSuite, window_and_explode) { expect_ok(DIR "DataFrameTimeWindowingSuite_window_and_explode.lua"); }
Test(EventTimeWatermarkSuite, alias_on_window) { expect_ok(DIR "EventTimeWatermarkSuite_alias_on_window.lua"); }
Test(EventTimeWatermarkSuite, append_mode) { expect_ok(DIR "EventTimeWatermarkSuite_append_mode.lua"); }
Test(EventTimeWatermarkSuite, complete_mode) { expect_ok(DIR "EventTimeWatermarkSuite_complete_mode.lua"); }
Test(EventTimeWatermarkSuite, delay_threshold_negative) { expect_ok(DIR "EventTimeWatermarkSuite_delay_threshold_negative.lua"); }
Test(EventTimeWatermarkSuite, event_time_metrics) { expect_ok(DIR "EventTimeWatermarkSuite_event_time_metrics.lua"); }
Test(EventTimeWatermarkSuite, event_time_metrics_no_watermark) { expect_ok(DIR "EventTimeWatermarkSuite_event_time_metrics_no_watermark.lua"); }
Test(EventTimeWatermarkSuite, group_by_raw_timestamp) { expect_ok(DIR "EventTimeWatermarkSuite_group_by_raw_timestamp.lua"); }
Test(EventTimeWatermarkSuite, no_data_flag_false) { expect_ok(DIR "EventTimeWatermarkSuite_no_data_flag_false.lua"); }
Test(EventTimeWatermarkSuite, no_data_flag_true) { expect_ok(DIR "EventTimeWatermarkSuite_no_data_flag_true.lua"); }
Test(EventTimeWatermarkSuite, update_mode) { expect_ok(DIR "EventTimeWatermarkSuite_update_mode.lua"); }
Test(StreamingAggregationSuite, multiple_keys) { expect_ok(DIR "StreamingAggregationSuite_multiple_keys.lua"); }
Test(StreamingAggregationSuite, simple_count_append_mode) { expect_ok(DIR "StreamingAggregationSuite_simple_count_append_mode.lua"); }
Test(StreamingAggregationSuite, simple_count_complete_mode) { expect_ok(DIR "StreamingAggregationSuite_simple_count_complete_mode.lua"); }
Test(StreamingAggregationSuite, simple_count_update_mode) { expect_ok(DIR "StreamingAggregationSuite_simple_count_update_mode.lua"); }
Test(StreamingAggregationSuite, state_metrics_complete) { expect_ok(DIR "StreamingAggregationSuite_state_metrics_complete.lua"); }
Test(StreamingAggregationSuite, state_metrics_update) { expect_ok(DIR "StreamingAggregationSuite_state_metrics_update.lua"); }
Test(StreamingDeduplicationSuite, all_columns) { expect_ok(DIR "StreamingDeduplicationSuite_all_columns.lua"); }

Test(StreamingDeduplicationSuite, multiple_deduplicates) { expect_ok(DIR "StreamingDeduplicationSuite_multiple_deduplicates.lua"); }
Test(StreamingDeduplicationSuite, no_data_flag_false) { expect_ok(DIR "StreamingDeduplicationSuite_no_data_flag_false.lua"); }
Test(StreamingDeduplicationSuite, no_data_flag_true) { expect_ok(DIR "StreamingDeduplicationSuite_no_data_flag_true.lua"); }
Test(StreamingDeduplicationSuite, some_columns) { expect_ok(DIR "StreamingDeduplicationSuite_some_columns.lua"); }
Test(StreamingDeduplicationSuite, watermark_not_a_key) { expect_ok(DIR "StreamingDeduplicationSuite_watermark_not_a_key.lua"); }
Test(StreamingDeduplicationSuite, watermark_predicate_on_keys) { expect_ok(DIR "StreamingDeduplicationSuite_watermark_predicate_on_keys.lua"); }

Test(StreamingDeduplicationSuite, with_aggregate_append) { expect_ok(DIR "StreamingDeduplicationSuite_with_aggregate_append.lua"); }

Test(StreamingDeduplicationSuite, with_aggregate_complete) { expect_ok(DIR "StreamingDeduplicationSuite_with_aggregate_complete.lua"); }

Test(StreamingDeduplicationSuite, with_aggregate_update) { expect_ok(DIR "StreamingDeduplicationSuite_with_aggregate_update.lua"); }
Test(StreamingDeduplicationSuite, with_watermark) { expect_ok(DIR "StreamingDeduplicationSuite_with_watermark.lua"); }
Test(guide, watermark_update_mode) { expect_ok("tests/scenarios/guide/ss_watermark_update_mode.lua"); }
Test(guide, watermark_append_mode) { expect_ok("tests/scenarios/guide/ss_watermark_append_mode.lua"); }

/* ---- streamlab's own: the rate source's formula, stream-static joins, a bad column ---- */
Test(structured, rate_source_with_ramp_up) { expect_ok("tests/scenarios/structured/rate_source_ramp_up.lua"); }
Test(structured, stream_static_joins) { expect_ok("tests/scenarios/structured/stream_static_join.lua"); }
Test(structured, an_unknown_column_is_an_error_at_its_line) {
    const char *scenario = "tests/scenarios/structured/bad_unknown_column.lua";
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, "--quiet", NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 2);
    cr_expect_str_eq(r.err, "tests/scenarios/structured/bad_unknown_column.lua:6: cannot resolve 'valu' given input "
                            "columns: [value]\n");
    cr_expect_str_eq(r.out, "");
    proc_result_free(&r);
}

/* The console sink's block, as Spark's ConsoleWrite and show() print it, and
 * the once / availableNow triggers' batches. */
Test(structured, console_sink_and_once_and_available_now_triggers) {
    const char *scenario = "tests/scenarios/structured/console_and_triggers.lua";
    const char *argv[] = {build_path("asan/streamlab"), "run", scenario, NULL};
    proc_result r;
    cr_assert_eq(proc_run(argv, RUN_TIMEOUT_S, &r), 0);
    cr_expect_eq(r.code, 0, "%s", r.err);
    cr_expect(strstr(r.out, "-------------------------------------------\n"
                            "Batch: 0\n"
                            "-------------------------------------------\n"
                            "+----+-----+\n"
                            "|word|count|\n"
                            "+----+-----+\n"
                            "|   a|    3|\n"
                            "|   b|    2|\n"
                            "|   c|    2|\n"
                            "+----+-----+\n"
                            "\n") != NULL, "%s", r.out);
    cr_expect(strstr(r.out, "Batch: 1") == NULL, "once ran more than one batch: %s", r.out);
    proc_result_free(&r);
}
