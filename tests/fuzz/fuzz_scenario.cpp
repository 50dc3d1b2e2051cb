// FuzzScenario: arbitrary bytes as a scenario or matrix file: a clear InputError with file, line
// and column, or a valid parse (whose system then boots).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli/boot.h"
#include "cli/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ffaemu::cli;
  if (size == 0) return 0;
  bool matrix = data[0] & 1;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    if (matrix) {
      Matrix m = parse_matrix(text, "fuzz.yaml");
      (void)m.combinations().size();
    } else {
      Scenario s = parse_scenario(text, "fuzz.yaml");
      if (s.calls.empty() && (data[0] & 2)) {
        SystemWiring wiring;
        wiring.record_calls = false;
        wiring.partitions = s.partitions;
        (void)boot(s.system, wiring);
      }
    }
  } catch (const InputError& e) {
    if (e.pos().file != "fuzz.yaml" || e.pos().line < 1 || e.pos().column < 1) {
      std::fprintf(stderr, "InputError without a position: %s\n", e.what());
      std::abort();
    }
  }
  return 0;
}
