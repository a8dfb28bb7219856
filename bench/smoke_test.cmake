# ctest unum_bench_macro_smoke: runs unum-bench-macro on chain-10 once and
# checks its JSON: one row, status "ok", 10 instances, a median time.
execute_process(
  COMMAND ${BENCH} --case chain-10 --reps 1 --warmup 0 --store memory://
          --platform inproc://?workers=2 --json ${OUT}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "unum-bench-macro exited with ${rc}")
endif()
file(READ ${OUT} doc)
string(JSON rows LENGTH "${doc}" results)
if(NOT rows EQUAL 1)
  message(FATAL_ERROR "expected 1 result row, got ${rows}: ${doc}")
endif()
string(JSON name GET "${doc}" results 0 case)
string(JSON status GET "${doc}" results 0 status)
string(JSON instances GET "${doc}" results 0 instances)
string(JSON median GET "${doc}" results 0 wall_ms median)
string(JSON ops GET "${doc}" results 0 datastore_ops total)
if(NOT name STREQUAL "chain-10" OR NOT status STREQUAL "ok"
   OR NOT instances EQUAL 10)
  message(FATAL_ERROR "expected chain-10 ok with 10 instances: ${doc}")
endif()
if(NOT median GREATER 0 OR NOT ops GREATER 0)
  message(FATAL_ERROR "expected a positive time and datastore ops: ${doc}")
endif()
message(STATUS "chain-10: ${instances} instances, ${ops} datastore ops")
