#include "ffa_core/pkvm/hyp_env.h"

#include <vector>

namespace ffaemu::pkvm {

emu::SmcccRegs HypEnv::smc(const emu::SmcccRegs& args) {
  emu::TrapReply reply =
      el3_.on_trap(emu::Trap{emu::ConduitKind::Smc, 0, kHypSmcPc, /*el=*/2, args});
  if (reply.action == emu::TrapAction::Stop) stop_requested = true;
  return reply.regs;
}

void HypEnv::copy(uint64_t dst, uint64_t src, uint64_t len) {
  if (len == 0) return;
  std::vector<uint8_t> bytes(len);
  memory.read(emu::PhysAddr{src}, bytes);
  memory.write(emu::PhysAddr{dst}, bytes);
}

}  // namespace ffaemu::pkvm
