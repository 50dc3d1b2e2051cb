// The system options (architecture.md "System options"): one table of names, values and defaults
// shared by CLI flags and scenario keys, and typed views for the models that consume them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "emu/smccc.h"
#include "ffa_core/firmware/config.h"

namespace ffaemu::cli {

struct OptionSpec {
  std::string_view name;
  std::vector<std::string_view> values;
  std::string_view default_value;
  std::string_view help;
};

[[nodiscard]] const std::vector<OptionSpec>& option_specs();
[[nodiscard]] const OptionSpec* find_option(std::string_view name);

// The spec's nearest name or value to a misspelling, for "did you mean" messages.
[[nodiscard]] std::optional<std::string_view> closest(std::string_view word,
                                                      const std::vector<std::string_view>& choices);

class SystemOptions {
 public:
  SystemOptions();  // every option at its default

  // Sets one option; returns an error message ("bad value 'x' for conduit: expected smc or hvc")
  // when the name or value is not in the table.
  [[nodiscard]] std::optional<std::string> set(std::string_view name, std::string_view value);
  [[nodiscard]] const std::string& get(std::string_view name) const;
  [[nodiscard]] bool is_default() const;
  [[nodiscard]] const std::map<std::string, std::string, std::less<>>& values() const {
    return values_;
  }

  [[nodiscard]] emu::ConduitKind conduit() const;
  [[nodiscard]] bool pkvm() const;
  [[nodiscard]] uint64_t page_size() const;
  [[nodiscard]] fw::FirmwareConfig firmware() const;

 private:
  std::map<std::string, std::string, std::less<>> values_;
};

}  // namespace ffaemu::cli
