#include <benchmark/benchmark.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <vector>

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

// Keeps the console output and remembers items/s per benchmark: with --benchmark_repetitions,
// the median of the repetitions, so one noisy run on a shared machine does not decide a ratio.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration) continue;
      const std::string& name = run.run_name.function_name;
      if (auto it = run.counters.find("items_per_second"); it != run.counters.end()) {
        samples[name].push_back(it->second.value);
      }
      for (const auto& [counter, value] : run.counters)
        counter_samples[name + "/" + counter].push_back(value.value);
    }
    ConsoleReporter::ReportRuns(runs);
  }
  [[nodiscard]] std::optional<double> rate(const std::string& name) const {
    return median(samples, name);
  }
  [[nodiscard]] std::optional<double> counter(const std::string& name) const {
    return median(counter_samples, name);
  }

 private:
  using Samples = std::map<std::string, std::vector<double>>;
  static std::optional<double> median(const Samples& all, const std::string& name) {
    auto it = all.find(name);
    if (it == all.end() || it->second.empty()) return std::nullopt;
    std::vector<double> v = it->second;
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }
  Samples samples;
  Samples counter_samples;
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
    std::optional<double> m = reporter.rate(t.benchmark), b = reporter.rate(t.baseline);
    if (!m || !b || *b == 0) continue;
    double ratio = *m / *b;
    fmt::print("ratio {} / {} = {:.2f} (target >= {:.2f}) {}\n", t.benchmark, t.baseline, ratio,
               t.minimum, ratio >= t.minimum ? "ok" : "BELOW TARGET");
  }
  for (const RateTarget& t : rates()) {
    std::optional<double> m = reporter.rate(t.benchmark);
    if (!m) continue;
    fmt::print("rate {} = {:.2f} M/s (target >= {:.2f} M/s) {}\n", t.benchmark, *m / 1e6,
               t.minimum_per_second / 1e6, *m >= t.minimum_per_second ? "ok" : "BELOW TARGET");
  }
  for (const CounterTarget& t : counters()) {
    std::optional<double> m = reporter.counter(t.benchmark + "/" + t.counter);
    if (!m) continue;
    fmt::print("counter {} {} = {:.{}f} (target >= {:.{}f}) {}\n", t.benchmark, t.counter, *m,
               t.decimals, t.minimum, t.decimals, *m >= t.minimum ? "ok" : "BELOW TARGET");
  }
  return 0;
}
