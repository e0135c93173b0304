# cmake -DBENCH=<binary> -DEXPECT=<text> -P expect_failure.cmake
# Passes only when the benchmark binary exits 1 and says EXPECT: a bench that reported an
# error must fail, and fail for that reason (not a crash or a bad argument).
execute_process(COMMAND ${BENCH} --benchmark_min_time=0.01 RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 1)
  message(FATAL_ERROR "expected exit code 1, got '${rc}'\nstdout:\n${out}\nstderr:\n${err}")
endif()
string(FIND "${err}" "${EXPECT}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "stderr does not say '${EXPECT}':\n${err}")
endif()
message(STATUS "failed as expected: ${err}")
