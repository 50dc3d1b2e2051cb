// Parses the `ffaemu call` argument form NAME[:ARG,ARG,...]: NAME from the call catalog or a raw
// function ID, arguments to x1, x2, ... as hex or decimal, `@tx`/`@rx` (+N) for two free
// page-aligned host RAM pages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "emu/smccc.h"

namespace ffaemu::cli {

// 64 KiB apart and 64 KiB aligned, so they suit every rxtx-min and page size.
inline constexpr uint64_t kTxPage = 0x80000000;
inline constexpr uint64_t kRxPage = 0x80010000;

struct CallParseError {
  std::string message;
};

[[nodiscard]] std::variant<emu::SmcccRegs, CallParseError> parse_call(std::string_view text);

}  // namespace ffaemu::cli
