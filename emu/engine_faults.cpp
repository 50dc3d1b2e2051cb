// Fault reports: disassembly at the faulting pc, the region a data address falls in, and the
// replay that pins a memory fault's exact pc (Unicorn 2.0.1 reports the block start).
#include "emu/engine_impl.h"

namespace ffaemu::emu {

void Engine::Impl::describe(Fault& f) {
  f.insn_word = word_at(f.pc);
  if (!f.insn_word) return;
  uint8_t bytes[4];
  std::memcpy(bytes, &*f.insn_word, 4);
  auto insn = disasm.decode(f.pc, bytes);
  f.disasm = insn ? insn->text() : fmt::format(".inst {:#010x}", *f.insn_word);
}

// Unicorn 2.0.1 reports the translation block's start for a memory fault. Re-run from the
// snapshot with a code hook on every instruction, answering traps from the recording so models
// see nothing twice, and take the instruction that faults the same way.
void Engine::Impl::pin_fault_pc(uint64_t entry, uint64_t budget, Fault& f) {
  MemFault original = *mem_fault;
  check(uc_context_restore(uc, snapshot), "uc_context_restore");
  flush_translations();
  uc_hook h;
  check(uc_hook_add(uc, &h, UC_HOOK_CODE, reinterpret_cast<void*>(&trace_pc_hook), this, 1, 0),
        "uc_hook_add(replay)");
  replaying = true;
  replay_pos = 0;
  mem_fault.reset();
  fault.reset();
  last_pc = entry;
  uc_emu_start(uc, entry, layout::kExitAddress, 0, budget);
  replaying = false;
  uc_hook_del(uc, h);
  flush_translations();
  bool same = mem_fault && mem_fault->type == original.type &&
              mem_fault->address == original.address && !fault;
  fault.reset();
  if (!same) return;
  if (f.kind == FaultKind::FetchUnmapped || f.kind == FaultKind::FetchProtected) {
    f.pc = original.address;
    f.detail = fmt::format("branched there from pc {:#x}: `{}`", last_pc, describe_at(last_pc));
  } else {
    f.pc = last_pc;
  }
  f.pc_exact = true;
}

// Names the region a faulting data address falls in, and its permissions.
void Engine::Impl::describe_region(Fault& f) {
  std::string where = "no region maps it";
  if (const RegionSpec* r = mem.find(PhysAddr{f.address}, 1)) {
    where = fmt::format("in region '{}' ({}{}{}{})", r->name, r->perms & kRead ? 'r' : '-',
                        r->perms & kWrite ? 'w' : '-', r->perms & kExec ? 'x' : '-',
                        r->el1_mapped ? "" : ", not mapped at EL1");
  }
  f.detail = f.detail.empty() ? where : fmt::format("{}; {}", where, f.detail);
}

std::string Engine::Impl::describe_at(uint64_t address) {
  Fault probe = fault_at(FaultKind::UnhandledException, address);
  describe(probe);
  return probe.disasm.empty() ? "<unreadable>" : probe.disasm;
}

}  // namespace ffaemu::emu
