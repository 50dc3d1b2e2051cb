// The teaching lines `--explain` adds to each call: which registers carry the arguments and results
// under the SMCCC version in force and which are preserved (DEN0028 sections 2.6-2.7), and why the
// call took the exception-level path it took.
#pragma once

#include <cstdint>
#include <string>

#include "trace/call_recorder.h"

namespace ffaemu::trace {

// "SMCCC 1.2, SMC64: arguments x1-x17, results x0-x17; ...; this call changed x0 x2"
[[nodiscard]] std::string explain_registers(const CallRecord& call, uint16_t smccc_major,
                                            uint16_t smccc_minor);

// "smc from EL1; EL2 trapped it (HCR_EL2.TSC) in pkvm:do_ffa_version; ... S-EL2 answered"
[[nodiscard]] std::string explain_path(const CallRecord& call);

}  // namespace ffaemu::trace
