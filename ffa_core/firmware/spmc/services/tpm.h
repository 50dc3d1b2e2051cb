// The TPM service of DEN0138 (TPM CRB over FF-A) as Linux's tpm_crb_ffa driver uses it: function ID
// in x4, arguments in x5/x6, status in x4 and results in x5 (same registers for REQ and REQ2).
#pragma once

#include <array>
#include <cstdint>

#include "ffa_core/firmware/spmc/services/service.h"

namespace ffaemu::fw {

namespace crb {
inline constexpr uint32_t kGetInterfaceVersion = 0x0f000001;
inline constexpr uint32_t kGetFeatureInfo = 0x0f000101;
inline constexpr uint32_t kStart = 0x0f000201;
inline constexpr uint32_t kOk = 0x05000001;
inline constexpr uint32_t kOkResultsReturned = 0x05000002;
inline constexpr uint32_t kNoFunc = 0x8e000001;
inline constexpr uint32_t kNotSup = 0x8e000002;
inline constexpr uint32_t kInvArg = 0x8e000005;
inline constexpr uint32_t kInterfaceVersion = 0x00010000;  // 1.0
inline constexpr int kLocalities = 5;
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
