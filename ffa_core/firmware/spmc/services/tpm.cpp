#include "ffa_core/firmware/spmc/services/tpm.h"

namespace ffaemu::fw {

void TpmService::on_direct_request(MessageRegs& regs, PartitionFfa&) {
  const auto function = static_cast<uint32_t>(regs.x(4));
  const uint64_t arg0 = regs.x(5);
  const uint64_t arg1 = regs.x(6);
  regs.clear();
  switch (function) {
    case crb::kGetInterfaceVersion:
      regs.set(4, crb::kOkResultsReturned);
      regs.set(5, crb::kInterfaceVersion);
      return;
    case crb::kStart:
      regs.set(4, start(arg0, arg1));
      return;
    case crb::kGetFeatureInfo:
      regs.set(4, crb::kNotSup);
      return;
    default:
      regs.set(4, crb::kNoFunc);
      return;
  }
}

// DEN0138 START: qualifier bits 7:0 are 0 (command ready) or 1 (locality request), 31:8 MBZ;
// locality 0..4.
uint32_t TpmService::start(uint64_t qualifier, uint64_t locality) {
  const auto q = static_cast<uint32_t>(qualifier);
  const auto loc = static_cast<uint32_t>(locality);
  if (q > 1 || loc >= crb::kLocalities) return crb::kInvArg;
  ++starts_[loc][q];
  return crb::kOk;
}

}  // namespace ffaemu::fw
