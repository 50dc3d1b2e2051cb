// `ffaemu explain`: what a function ID means and how the SMC Calling Convention carries it, for
// teaching (DEN0028 sections 2.5-2.7, DEN0077 chapter 12).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ffaemu::trace {

// A name from the call catalog, or a number (hex with 0x, or decimal) that fits in 32 bits.
[[nodiscard]] std::optional<uint32_t> parse_function(std::string_view text);

// The register usage of a call of this width under an SMCCC version (DEN0028 table 2-1/2-2).
[[nodiscard]] std::string register_usage(bool smc64, uint16_t smccc_major, uint16_t smccc_minor);

// Several lines of text for a person.
[[nodiscard]] std::string explain_text(uint32_t function_id);

// {"id", "name", "fast", "smc64", "owner", "owner_name", "number", "since", "args", "errors",
//  "registers": {"1.0", "1.1", "1.2"}}
[[nodiscard]] nlohmann::ordered_json explain_json(uint32_t function_id);

}  // namespace ffaemu::trace
