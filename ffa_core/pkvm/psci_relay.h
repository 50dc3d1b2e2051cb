// pKVM's PSCI relay for host SMCs (arch/arm64/kvm/hyp/nvhe/psci-relay.c, kvm_host_psci_handler):
// the PSCI range is answered at EL2, most calls by forwarding x0-x3 to EL3.
#pragma once

#include <cstdint>
#include <optional>

#include "emu/smccc.h"
#include "ffa_core/pkvm/hyp_env.h"

namespace ffaemu::pkvm {

// nullopt: not a PSCI 0.2+ function ID, the FF-A handler is next. Otherwise the host's registers
// with x0 = the PSCI result and x1-x3 = 0. CPU_ON, CPU_SUSPEND and SYSTEM_SUSPEND (which enter
// the host through pKVM's own trampoline) throw NotModelled.
[[nodiscard]] std::optional<emu::SmcccRegs> kvm_host_psci_handler(HypEnv& env,
                                                                  const emu::SmcccRegs& host,
                                                                  uint64_t func_id);

}  // namespace ffaemu::pkvm
