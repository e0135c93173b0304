// main() of every benchmark binary that has no set-up of its own (see run_benchmarks.hpp).
#include "onshi/bench/run_benchmarks.hpp"

int main(int argc, char** argv) { return onshi::bench::run_benchmarks(argc, argv); }
