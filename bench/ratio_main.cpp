#include <benchmark/benchmark.h>

#include <map>

#include <fmt/format.h>

#include "ratio.h"

namespace ffaemu::bench {
namespace {

std::vector<RatioTarget>& ratios() {
  static std::vector<RatioTarget> r;
  return r;
}
std::vector<CounterTarget>& counters() {
  static std::vector<CounterTarget> c;
  return c;
}
std::vector<RateTarget>& rates() {
  static std::vector<RateTarget> r;
  return r;
}

// Keeps the console output and remembers items/s per benchmark name.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      auto it = run.counters.find("items_per_second");
      if (run.run_type != Run::RT_Iteration) continue;
      if (it != run.counters.end()) rate[run.benchmark_name()] = it->second.value;
      for (const auto& [name, counter] : run.counters) {
        counter_values[run.benchmark_name() + "/" + name] = counter.value;
      }
    }
    ConsoleReporter::ReportRuns(runs);
  }
  std::map<std::string, double> rate;
  std::map<std::string, double> counter_values;
};

}  // namespace

void declare(RatioTarget target) {
  ratios().push_back(std::move(target));
}
void declare(RateTarget target) {
  rates().push_back(std::move(target));
}
void declare(CounterTarget target) {
  counters().push_back(std::move(target));
}

}  // namespace ffaemu::bench

int main(int argc, char** argv) {
  using namespace ffaemu::bench;
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RecordingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  for (const RatioTarget& t : ratios()) {
    auto m = reporter.rate.find(t.benchmark), b = reporter.rate.find(t.baseline);
    if (m == reporter.rate.end() || b == reporter.rate.end() || b->second == 0) continue;
    double ratio = m->second / b->second;
    fmt::print("ratio {} / {} = {:.2f} (target >= {:.2f}) {}\n", t.benchmark, t.baseline, ratio,
               t.minimum, ratio >= t.minimum ? "ok" : "BELOW TARGET");
  }
  for (const RateTarget& t : rates()) {
    auto m = reporter.rate.find(t.benchmark);
    if (m == reporter.rate.end()) continue;
    fmt::print("rate {} = {:.2f} M/s (target >= {:.2f} M/s) {}\n", t.benchmark, m->second / 1e6,
               t.minimum_per_second / 1e6,
               m->second >= t.minimum_per_second ? "ok" : "BELOW TARGET");
  }
  for (const CounterTarget& t : counters()) {
    auto m = reporter.counter_values.find(t.benchmark + "/" + t.counter);
    if (m == reporter.counter_values.end()) continue;
    fmt::print("counter {} {} = {:.0f} (target >= {:.0f}) {}\n", t.benchmark, t.counter, m->second,
               t.minimum, m->second >= t.minimum ? "ok" : "BELOW TARGET");
  }
  return 0;
}
