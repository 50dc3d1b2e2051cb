// Every call ffaemu knows by name: SMCCC architecture calls, the PSCI calls Linux uses for SMCCC
// discovery, and FF-A v1.0-v1.2 (DEN0077 table 12.x, Hafnium's naming). Trace names, `explain`,
// CLI call parsing and version gates all come from this one list.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "ffa_core/abi/ffa.h"

namespace ffaemu::ffa {

enum class CallFamily : uint8_t { SmcccArch, Psci, Ffa };

struct CallInfo {
  uint32_t id;
  std::string_view name;
  CallFamily family;
  // FF-A calls: the FF-A version that introduced the call. SMCCC/PSCI: the SMCCC or PSCI version.
  FfaVersion since;
  // Names of the argument registers x1..x7 as the call uses them (empty: unused).
  std::array<std::string_view, 7> args;
  std::string_view summary;
  // FF-A error codes the call can return (bit n set: error -n), per DEN0077 and the Hafnium,
  // TF-A and pKVM sources; see ffa-smccc.md section 5.
  uint16_t errors = 0;

  [[nodiscard]] bool can_return(FfaError e) const { return (errors >> -static_cast<int>(e)) & 1; }
};

// Bit for `e` in CallInfo::errors.
constexpr uint16_t err_bit(FfaError e) {
  return uint16_t(1u << -static_cast<int>(e));
}

[[nodiscard]] std::span<const CallInfo> all_calls();
[[nodiscard]] const CallInfo* find_call(uint32_t id);
[[nodiscard]] const CallInfo* find_call(std::string_view name);

}  // namespace ffaemu::ffa
