// Expected results in scenario files: for a raw call, a result word ("FFA_SUCCESS", "DENIED",
// "FFA_ERROR BUSY", "v1.2", "SMC_UNK", "NOT_SUPPORTED") and/or exact registers; for a boot, the
// outcome fields of the JSON output (architecture.md).
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "emu/smccc.h"

namespace ffaemu::cli {

struct CallExpect {
  std::optional<std::string> result;
  std::map<int, uint64_t> regs;  // register index -> exact 64-bit value
};

// Whether `result` names something a reply can be; the error text lists what is accepted.
[[nodiscard]] std::optional<std::string> check_result_word(const std::string& result);

// Empty when `out` (the reply to `in`) meets the expectation, else what differs.
[[nodiscard]] std::string mismatch(const CallExpect& expect, const emu::SmcccRegs& in,
                                   const emu::SmcccRegs& out);

// Outcome keys and what each accepts.
[[nodiscard]] const std::map<std::string, std::string>& outcome_keys();
// Empty when every expected field (dotted keys: "consumers.tpm") equals the outcome's.
[[nodiscard]] std::string outcome_mismatch(
    const std::map<std::string, nlohmann::ordered_json>& expect,
    const nlohmann::ordered_json& outcome);

}  // namespace ffaemu::cli
