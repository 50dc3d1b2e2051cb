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
// see nothing twice, and take the instruction that faults the same way; then put the registers
// back as the original run left them.
void Engine::Impl::pin_fault_pc(uint64_t entry, uint64_t budget, Fault& f) {
  MemFault original = *mem_fault;
  if (!at_fault) check(uc_context_alloc(uc, &at_fault), "uc_context_alloc");
  check(uc_context_save(uc, at_fault), "uc_context_save");
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
  // Memory was not rolled back, so the replay's registers may differ: keep the original run's.
  check(uc_context_restore(uc, at_fault), "uc_context_restore");
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

// Why a run stopped, from the hooks' findings and uc_emu_start's error; pins a memory fault's
// instruction with a replay when the run took a snapshot.
RunResult Engine::Impl::finish_run(uc_err err, uint64_t entry, const RunOptions& options,
                                   RunResult result) {
  if (fault) {
    result.reason = StopReason::Fault;
    result.fault = std::move(fault);
  } else if (err != UC_ERR_OK) {
    Fault f;
    f.pc = result.pc;
    if (auto kind = mem_fault ? kind_of(mem_fault->type) : kind_of(err)) {
      f.kind = *kind;
      f.pc_exact = false;
      if (mem_fault) {
        f.address = mem_fault->address;
        f.size = static_cast<uint32_t>(mem_fault->size);
      }
      if (options.precise_faults && mem_fault) pin_fault_pc(entry, options.budget, f);
      describe_region(f);
    } else {
      f.kind = FaultKind::UnhandledException;
      f.detail = fmt::format("uc_emu_start: {}", uc_strerror(err));
    }
    if (f.kind != FaultKind::FetchUnmapped && f.kind != FaultKind::FetchProtected) describe(f);
    result.reason = StopReason::Fault;
    result.fault = std::move(f);
  } else if (stopped_by_handler) {
    result.reason = StopReason::Stopped;
  } else if (result.pc == layout::kExitAddress) {
    result.reason = StopReason::Exit;
  } else if (word_at(result.pc - 4) == kWfiWord) {
    Fault f = fault_at(FaultKind::WaitForInterrupt, result.pc - 4);
    f.detail = "no interrupt can arrive: the emulated CPU would sleep forever";
    describe(f);
    result.reason = StopReason::Fault;
    result.fault = std::move(f);
  } else {
    Fault f = fault_at(FaultKind::BudgetExhausted, result.pc);
    f.detail = fmt::format("{} instructions ran without returning to the exit address {:#x}",
                           options.budget, layout::kExitAddress);
    describe(f);
    result.reason = StopReason::Fault;
    result.fault = std::move(f);
  }
  return result;
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
