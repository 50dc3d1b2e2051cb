#include "ffa_core/pkvm/psci_relay.h"

#include <fmt/format.h>

#include "ffa_core/pkvm/hyp_fault.h"

namespace ffaemu::pkvm {
namespace {

// PSCI function IDs (include/uapi/linux/psci.h): PSCI_0_2_FN(n) = 0x84000000 + n,
// PSCI_0_2_FN64(n) = 0xC4000000 + n.
constexpr uint64_t fn32(uint64_t n) {
  return 0x84000000 + n;
}
constexpr uint64_t fn64(uint64_t n) {
  return 0xC4000000 + n;
}

constexpr uint64_t kPsciRetNotSupported = ~uint64_t{0};  // PSCI_RET_NOT_SUPPORTED in an ulong
constexpr uint32_t kPsciVersion1_0 = 0x10000;

bool is_psci_0_2_call(uint64_t func_id) {
  return (fn32(0) <= func_id && func_id <= fn32(31)) || (fn64(0) <= func_id && func_id <= fn64(31));
}

// psci_forward: arm_smccc_1_1_smc(x0, x1, x2, x3) from EL2; only a0 comes back.
uint64_t psci_forward(HypEnv& env, const emu::SmcccRegs& host) {
  return env.smc(emu::regs(host.x[0], host.x[1], host.x[2], host.x[3])).x[0];
}

uint64_t not_modelled(uint64_t func_id) {
  throw NotModelled(
      fmt::format("PSCI {:#x}: pKVM re-enters the host through its own EL2 entry point", func_id));
}

uint64_t psci_0_2_handler(HypEnv& env, const emu::SmcccRegs& host, uint64_t func_id) {
  switch (func_id) {
    case fn32(0x0):  // PSCI_VERSION
    case fn32(0x2):  // CPU_OFF
    case fn64(0x4):  // AFFINITY_INFO
    case fn64(0x5):  // MIGRATE
    case fn32(0x6):  // MIGRATE_INFO_TYPE
    case fn64(0x7):  // MIGRATE_INFO_UP_CPU
    case fn32(0x8):  // SYSTEM_OFF (should not return; allowed for broken firmware)
    case fn32(0x9):  // SYSTEM_RESET
      return psci_forward(env, host);
    case fn64(0x1):  // CPU_SUSPEND
    case fn64(0x3):  // CPU_ON
      return not_modelled(func_id);
    default:
      return kPsciRetNotSupported;
  }
}

uint64_t psci_1_0_handler(HypEnv& env, const emu::SmcccRegs& host, uint64_t func_id) {
  switch (func_id) {
    case fn32(0xA):   // PSCI_FEATURES
    case fn32(0xF):   // SET_SUSPEND_MODE
    case fn64(0x12):  // SYSTEM_RESET2
    case fn32(0x15):  // SYSTEM_OFF2 (PSCI 1.3)
    case fn64(0x15):
      return psci_forward(env, host);
    case fn64(0xE):  // SYSTEM_SUSPEND
      return not_modelled(func_id);
    default:
      return psci_0_2_handler(env, host, func_id);
  }
}

}  // namespace

std::optional<emu::SmcccRegs> kvm_host_psci_handler(HypEnv& env, const emu::SmcccRegs& host,
                                                    uint64_t func_id) {
  if (!is_psci_0_2_call(func_id)) return std::nullopt;
  uint64_t ret = env.config.psci_version >= kPsciVersion1_0 ? psci_1_0_handler(env, host, func_id)
                                                            : psci_0_2_handler(env, host, func_id);
  emu::SmcccRegs out = host;
  out.x[0] = ret;
  out.x[1] = out.x[2] = out.x[3] = 0;
  return out;
}

}  // namespace ffaemu::pkvm
