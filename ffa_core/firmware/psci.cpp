// PSCI_VERSION and PSCI_FEATURES (DEN0022 sections 5.1.1, 5.1.14) as Linux's psci_init_smccc uses
// them to find SMCCC_VERSION; TF-A psci_smc_handler answers with SMC_RET1. Power management calls
// are not modelled and answer PSCI NOT_SUPPORTED.
#include "ffa_core/firmware/el3.h"

namespace ffaemu::fw {
namespace {

constexpr uint64_t kPsciVersion = 0x10001;  // PSCI 1.1
constexpr uint64_t kPsciSuccess = 0;
constexpr uint64_t kPsciNotSupported = ~uint64_t{0};  // PSCI_E_NOT_SUPPORTED, sign-extended

}  // namespace

Reply psci_call(const SmcccRegs& in, SmcccVersion version) {
  switch (in.w(0)) {
    case ffa::fid::kPsciVersion:
      return ret(1, emu::regs(kPsciVersion));
    case ffa::fid::kPsciFeatures: {
      const uint32_t queried = in.w(1);
      const bool supported = queried == ffa::fid::kPsciVersion ||
                             queried == ffa::fid::kPsciFeatures ||
                             (queried == ffa::fid::kSmcccVersion && version.at_least(1, 1));
      return ret(1, emu::regs(supported ? kPsciSuccess : kPsciNotSupported));
    }
    default:
      return ret(1, emu::regs(kPsciNotSupported));
  }
}

}  // namespace ffaemu::fw
