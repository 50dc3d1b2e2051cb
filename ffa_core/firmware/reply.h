// A result as the firmware writes it back: the first `written` registers (TF-A SMC_RETn, Hafnium
// arch_regs_set_retval), every register above them keeps the caller's value (SMCCC 1.1+
// "preserved").
#pragma once

#include <algorithm>
#include <cstdint>

#include "ffa_core/abi/ffa.h"

namespace ffaemu::fw {

using emu::SmcccRegs;

struct Reply {
  SmcccRegs regs;
  uint8_t written = 8;
};

// SMC_RETn: n registers from `regs`.
[[nodiscard]] inline Reply ret(uint8_t n, const SmcccRegs& regs) {
  return Reply{regs, n};
}

// FFA_ERROR: w0, w1 = 0, w2 = code zero-extended, w3-w7 = 0 (TF-A spmd_ffa_error_return, Hafnium
// ffa_error; both write eight registers).
[[nodiscard]] inline Reply ffa_error(ffa::FfaError e) {
  return Reply{ffa::error_reply(e), 8};
}

// What the caller sees: the reply's written registers, its own values above them.
[[nodiscard]] inline SmcccRegs merge(const SmcccRegs& caller, const Reply& reply) {
  SmcccRegs out = caller;
  std::copy_n(reply.regs.x.begin(), std::min<size_t>(reply.written, out.x.size()), out.x.begin());
  return out;
}

}  // namespace ffaemu::fw
