// The replay's own check (fuzz/CMakeLists.txt): a target that aborts on every input, so the
// test fuzz_replay.selftest_a_crash_fails proves a crashing input fails its replay test.
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { std::abort(); }
