// Scenario and matrix files (YAML): system options under their CLI names, partitions, raw calls
// with expected results, expected boot outcomes, and matrix axes with outcome rules. Every error
// names the file, line and column, the closest valid key and the valid values.
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/expect.h"
#include "cli/options.h"
#include "ffa_core/firmware/config.h"

namespace ffaemu::cli {

struct SourcePos {
  std::string file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based
};

// "file:line:col: message"
class InputError : public std::runtime_error {
 public:
  InputError(SourcePos pos, const std::string& message);
  [[nodiscard]] const SourcePos& pos() const { return pos_; }

 private:
  SourcePos pos_;
};

struct ScenarioCall {
  std::string text;  // NAME[:ARG,...] as in `ffaemu call`
  emu::SmcccRegs regs;
  CallExpect expect;
  SourcePos pos;
};

using OutcomeExpect = std::map<std::string, nlohmann::ordered_json>;  // dotted outcome keys

struct Scenario {
  std::string file;
  std::string name;
  SystemOptions system;
  std::optional<std::vector<fw::PartitionConfig>> partitions;
  std::vector<ScenarioCall> calls;
  OutcomeExpect expect;
};

[[nodiscard]] Scenario parse_scenario(std::string_view text, const std::string& file);
[[nodiscard]] Scenario load_scenario(const std::string& path);

struct MatrixRule {
  std::map<std::string, std::string> when;  // option -> value; all must hold
  OutcomeExpect then;
  SourcePos pos;
};

struct Matrix {
  std::string file;
  SystemOptions base;  // options fixed for every combination
  std::vector<std::pair<std::string, std::vector<std::string>>> axes;
  std::vector<MatrixRule> rules;

  // Every combination, the last axis varying fastest: a deterministic order.
  [[nodiscard]] std::vector<SystemOptions> combinations() const;
  // The rules that hold for `system`, merged in file order (later rules win per key).
  [[nodiscard]] OutcomeExpect expected(const SystemOptions& system) const;
};

[[nodiscard]] Matrix parse_matrix(std::string_view text, const std::string& file);
[[nodiscard]] Matrix load_matrix(const std::string& path);

}  // namespace ffaemu::cli
