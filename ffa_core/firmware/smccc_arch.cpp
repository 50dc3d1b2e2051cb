// SMCCC_VERSION and SMCCC_ARCH_FEATURES (DEN0028 section 7), as TF-A's arm_arch_svc_smc_handler
// answers them with SMC_RET1; a firmware configured as SMCCC 1.0 implements neither.
#include "ffa_core/firmware/el3.h"

namespace ffaemu::fw {
namespace {

constexpr uint64_t kArchSuccess = 0;
constexpr uint64_t kArchNotSupported = ~uint64_t{0};  // -1 as TF-A's int result, sign-extended

}  // namespace

Reply smccc_arch_call(const SmcccRegs& in, SmcccVersion version) {
  if (!version.at_least(1, 1)) return smc_unknown();
  switch (in.w(0)) {
    case ffa::fid::kSmcccVersion:
      return ret(1, emu::regs(version.raw()));
    case ffa::fid::kSmcccArchFeatures: {
      const uint32_t queried = in.w(1);
      const bool known =
          queried == ffa::fid::kSmcccVersion || queried == ffa::fid::kSmcccArchFeatures;
      return ret(1, emu::regs(known ? kArchSuccess : kArchNotSupported));
    }
    default:
      return smc_unknown();
  }
}

}  // namespace ffaemu::fw
