/* sim/lua_sql.h — the Structured Streaming API of scenarios (lua_sql.c).
 *
 *   local spark = SparkSession{ workers = 2, cores = 2, ["spark.sql.shuffle.partitions"] = 4 }
 *   local input = MemoryStream(spark)
 *   input:addData("1s", 10, 11, 12)
 *   local q = input:toDF()
 *     :withColumn("eventTime", col("value"):cast("timestamp"))
 *     :withWatermark("eventTime", "10 seconds")
 *     :groupBy(window(col("eventTime"), "5 seconds")):count()
 *     :writeStream():outputMode("append"):format("memory"):queryName("q")
 *     :trigger{ processingTime = "1s" }:start()
 *
 * Globals: SparkSession, MemoryStream, and Spark's functions col, lit,
 * window, timestamp_seconds, explode, split, lower, upper, length, concat,
 * udf, count, sum, avg (min and max are the built-ins, which also take a
 * column). A Column has alias, cast, getField, eq, neq, lt, leq, gt, geq,
 * isNull, isNotNull, and the operators + - * / % & | ~.
 */
#ifndef SIM_LUA_SQL_H
#define SIM_LUA_SQL_H

#include <lua.h>

#include "../engine/ss.h"
#include "scenario.h"

/* Registers the API in L for the scenario sc. */
void sim_sql_api_open(lua_State *L, sim_scenario *sc);
/* min(col) / max(col): the aggregate (the built-in at index 1 is dropped). */
int sim_sql_min_max(lua_State *L, int is_max);
/* Whether the value at idx is a column (a Column or a column name). */
int sim_sql_is_column(lua_State *L, int idx);
/* Wraps the function on top of the stack so that it takes a row tuple and
 * calls the function with a table keyed by s's column names (timestamps in
 * ms). Replaces the function with the wrapper. */
void sim_sql_push_row_adapter(lua_State *L, const eng_sql_schema *s);
/* spark:createDataFrame(rows, columns). */
int sim_sql_create_df(lua_State *L);

#endif
