// Human-readable decoding of one SMCCC call: the function ID's fields, the arguments named for
// that call (from ffa_core's call catalog), and what the result means.
#pragma once

#include <cstdint>
#include <string>

#include "emu/smccc.h"

namespace ffaemu::trace {

// "FFA_RXTX_MAP_64" for a known ID, "SMC64 fast owner 2 fn 0x1" style otherwise.
[[nodiscard]] std::string call_name(uint32_t function_id);

// "fast SMC32, owner 4 (Standard Secure Service), function 0x63"
[[nodiscard]] std::string describe_id(uint32_t function_id);

// "FFA_RXTX_MAP_64 tx=0x80000000 rx=0x80001000 pages=1"; SMC32 arguments shown as w values.
[[nodiscard]] std::string describe_args(const emu::SmcccRegs& in);

// "FFA_SUCCESS", "FFA_ERROR DENIED", "v1.2 (0x10002)", "SMC_UNK (-1)", ...
[[nodiscard]] std::string describe_result(const emu::SmcccRegs& in, const emu::SmcccRegs& out);

}  // namespace ffaemu::trace
