// Shared main for the benchmarks: runs them, then prints each declared ratio (a benchmark's rate
// over its raw Unicorn baseline from the same run) with its target, so a regression is visible.
#pragma once

#include <string>
#include <vector>

namespace ffaemu::bench {

struct RatioTarget {
  std::string benchmark;  // measured
  std::string baseline;   // raw Unicorn, same run
  double minimum;         // ratio target from the issue
};

// An absolute floor on a benchmark's items per second.
struct RateTarget {
  std::string benchmark;
  double minimum_per_second;
};

// A floor on a named counter of a benchmark (e.g. boots_per_s).
struct CounterTarget {
  std::string benchmark;
  std::string counter;
  double minimum;
  int decimals = 0;  // printed after the point
};

void declare(RatioTarget target);
void declare(CounterTarget target);
void declare(RateTarget target);

}  // namespace ffaemu::bench
