#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {

FakeEl3::FakeEl3() {
  answer(fid::kVersion, emu::regs(0x10002));
  answer(fid::kIdGet, ffa_ok(0));
  answer(fid::kFeatures, ffa_ok(0));
  answer(fid::kRxTxMap64, ffa_ok());
  answer(fid::kRxTxUnmap, ffa_ok());
  answer(fid::kRxRelease, ffa_ok());
  answer(fid::kMemShare64, ffa_ok(0x1234, 0x1));
  answer(fid::kMemLend64, ffa_ok(0x1234, 0x1));
  answer(fid::kMemReclaim, ffa_ok());
}

emu::TrapReply FakeEl3::on_trap(const emu::Trap& trap) {
  calls_.push_back({trap, pkvm_ ? pkvm_->stage2_journal().size() : 0});
  auto it = answers_.find(trap.regs.w(0));
  SmcccRegs reply = it != answers_.end() ? it->second(trap) : emu::regs(emu::kSmcUnknown);
  return {reply, action};
}

std::vector<uint32_t> FakeEl3::ids() const {
  std::vector<uint32_t> out;
  for (const Call& c : calls_)
    out.push_back(c.trap.regs.w(0));
  return out;
}

}  // namespace ffaemu::pkvm::test
