// The echo partition: every direct request comes back with its own payload, except two memory
// commands in x3 of a DIRECT_REQ that make the partition retrieve or relinquish the handle in
// x4 (low 32 bits) / x5 (high 32 bits). The response to a command is x3 = the command, x4 = 0 or
// the FF-A error code (32 bits), x5-x7 = 0.
#pragma once

#include <cstdint>

#include "ffa_core/firmware/spmc/services/service.h"

namespace ffaemu::fw {

namespace echo {
inline constexpr uint32_t kMemRetrieve = 0x4d454d52;    // "MEMR": FFA_MEM_RETRIEVE_REQ
inline constexpr uint32_t kMemRelinquish = 0x4d454d4c;  // "MEML": FFA_MEM_RELINQUISH
}  // namespace echo

class EchoService final : public PartitionService {
 public:
  void on_direct_request(MessageRegs& regs, PartitionFfa& ffa) override;
};

}  // namespace ffaemu::fw
