// The TPM service of DEN0138 (TPM CRB over FF-A) as Linux's tpm_crb_ffa driver uses it: function ID
// in x4, arguments in x5/x6, status in x4 and results in x5 (same registers for REQ and REQ2).
#pragma once

#include <array>
#include <cstdint>

#include "ffa_core/abi/tpm_crb.h"
#include "ffa_core/firmware/spmc/services/service.h"

namespace ffaemu::fw {

namespace crb {
using namespace ffa::crb;
inline constexpr uint32_t kInterfaceVersion = 0x00010000;  // what this service implements: 1.0
}  // namespace crb

class TpmService final : public PartitionService {
 public:
  void on_direct_request(MessageRegs& regs, PartitionFfa& ffa) override;
  // START notifications received per locality: [locality][qualifier 0 command, 1 locality req].
  [[nodiscard]] const std::array<std::array<uint32_t, 2>, crb::kLocalities>& starts() const {
    return starts_;
  }

 private:
  uint32_t start(uint64_t qualifier, uint64_t locality);
  std::array<std::array<uint32_t, 2>, crb::kLocalities> starts_{};
};

}  // namespace ffaemu::fw
