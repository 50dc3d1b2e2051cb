// The echo partition (services/echo.h), and make_service() mapping the configured service names to
// implementations.
#include "ffa_core/firmware/spmc/services/echo.h"

#include <memory>

#include "ffa_core/firmware/spmc/services/tpm.h"

namespace ffaemu::fw {

void EchoService::on_direct_request(MessageRegs& regs, PartitionFfa& ffa) {
  const auto command = static_cast<uint32_t>(regs.x(3));
  if (command != echo::kMemRetrieve && command != echo::kMemRelinquish) return;
  const uint64_t handle =
      static_cast<uint32_t>(regs.x(4)) | (uint64_t{static_cast<uint32_t>(regs.x(5))} << 32);
  const std::optional<ffa::FfaError> error =
      command == echo::kMemRetrieve ? ffa.mem_retrieve(handle) : ffa.mem_relinquish(handle);
  regs.clear();
  regs.set(3, command);
  regs.set(4, error ? static_cast<uint32_t>(*error) : 0);
}

std::unique_ptr<PartitionService> make_service(std::string_view name) {
  if (name == "tpm") return std::make_unique<TpmService>();
  if (name == "echo") return std::make_unique<EchoService>();
  return nullptr;
}

}  // namespace ffaemu::fw
