// The echo partition answers every direct request with its own payload, and make_service() maps
// the configured service names to implementations.
#include <memory>

#include "ffa_core/firmware/spmc/services/service.h"
#include "ffa_core/firmware/spmc/services/tpm.h"

namespace ffaemu::fw {
namespace {

class EchoService final : public PartitionService {
 public:
  void on_direct_request(MessageRegs&) override {}
};

}  // namespace

std::unique_ptr<PartitionService> make_service(std::string_view name) {
  if (name == "tpm") return std::make_unique<TpmService>();
  if (name == "echo") return std::make_unique<EchoService>();
  return nullptr;
}

}  // namespace ffaemu::fw
