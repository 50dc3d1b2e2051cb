// The engine's Unicorn hooks: calls (smc/hvc) handed to the TrapHandler, exceptions and wfi and
// SP alignment turned into faults, memory accesses shown to an observer.
#include "emu/engine_impl.h"

namespace ffaemu::emu {

void Engine::Impl::write_scr() {
  uc_arm64_cp_reg scr{};
  scr.crn = 1;
  scr.crm = 1;
  scr.op0 = 3;
  scr.op1 = 6;
  scr.op2 = 0;
  scr.val = kScrNs | kScrRw | (el2 ? kScrHce : 0);
  check(uc_reg_write(uc, UC_ARM64_REG_CP_REG, &scr), "uc_reg_write(SCR_EL3)");
}

void Engine::Impl::on_call(ConduitKind conduit, uint64_t insn_pc) {
  Trap trap;
  trap.conduit = conduit;
  trap.pc = insn_pc;
  trap.el = 1;
  trap.imm = static_cast<uint16_t>((word_at(insn_pc).value_or(0) >> 5) & 0xffff);
  std::array<void*, kSmcccRegCount> ptrs;
  for (int i = 0; i < kSmcccRegCount; ++i)
    ptrs[i] = &trap.regs.x[i];
  uc_reg_read_batch(uc, uc_reg_ids.data(), ptrs.data(), kSmcccRegCount);

  TrapReply reply;
  if (replaying) {
    if (replay_pos >= recorded.size()) {
      uc_emu_stop(uc);
      return;
    }
    reply = recorded[replay_pos++];
  } else if (handler == nullptr) {
    Fault f = fault_at(FaultKind::UnhandledException, insn_pc);
    f.detail = fmt::format("{} with no trap handler attached", conduit_name(conduit));
    describe(f);
    stop_with(std::move(f));
    return;
  } else {
    try {
      reply = handler->on_trap(trap);
    } catch (...) {
      handler_error = std::current_exception();
      uc_emu_stop(uc);
      return;
    }
    if (recording) recorded.push_back(reply);
  }
  for (int i = 0; i < kSmcccRegCount; ++i)
    ptrs[i] = &reply.regs.x[i];
  uc_reg_write_batch(uc, uc_reg_ids.data(), ptrs.data(), kSmcccRegCount);
  ++traps;
  if (reply.action == TrapAction::Stop) {
    stopped_by_handler = true;
    uc_emu_stop(uc);
  }
}

void Engine::Impl::on_exception(uint32_t intno, uint64_t pc) {
  Fault f = fault_at(FaultKind::UnhandledException, pc);
  uint32_t word = word_at(pc).value_or(0);
  if (intno == kExcpUdef) {
    f.kind = FaultKind::UndefinedInstruction;
    if ((word & kExcMask) == kHvcWord) {
      f.detail = "hvc with no EL2 present (SCR_EL3.HCE is 0): UNDEFINED at EL1";
    } else if ((word & kExcMask) == kSmcWord) {
      f.detail = "smc is UNDEFINED here (SCR_EL3.SMD set or not at EL1)";
    }
  } else if (intno == kExcpBkpt && (word & kExcMask) == kBrkWord) {
    f.kind = FaultKind::Breakpoint;
    f.detail = fmt::format("brk #{:#x}", (word >> 5) & 0xffff);
  } else {
    // svc and the rest report PC after the instruction; point at the instruction itself.
    if (intno == kExcpSwi && (word_at(pc - 4).value_or(0) & kExcMask) == kSvcWord) f.pc = pc - 4;
    f.kind = FaultKind::UnhandledException;
    f.detail =
        fmt::format("{} (exception {}) is not modelled at EL1", exception_name(intno), intno);
  }
  describe(f);
  stop_with(std::move(f));
}

void Engine::Impl::intr_hook(uc_engine* uc, uint32_t intno, void* user) {
  auto* self = static_cast<Impl*>(user);
  uint64_t pc = 0;
  uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
  if (self->observer && !self->replaying) {
    // PC is past smc, hvc and svc, and at the instruction for the others (section 1.2).
    bool after = intno == kExcpSmc || intno == kExcpHvc || intno == kExcpSwi;
    self->observer->on_trap(after ? pc - 4 : pc);
  }
  if (intno == kExcpSmc || intno == kExcpHvc) {
    self->on_call(intno == kExcpSmc ? ConduitKind::Smc : ConduitKind::Hvc, pc - 4);
  } else {
    self->on_exception(intno, pc);
  }
}

void Engine::Impl::wfi_hook(uc_engine*, uint64_t address, uint32_t, void* user) {
  auto* self = static_cast<Impl*>(user);
  if (self->word_at(address) != kWfiWord) return;  // the code was overwritten since load
  Fault f = fault_at(FaultKind::WaitForInterrupt, address);
  f.detail = "no interrupt can arrive: the emulated CPU would sleep forever";
  self->describe(f);
  self->stop_with(std::move(f));
}

// A load or store based on SP: with SCTLR_EL1.SA (set by Linux) a misaligned SP faults. Unicorn
// does not check it, so the engine does, at each such instruction found when code is loaded.
void Engine::Impl::sp_access_hook(uc_engine* uc, uint64_t address, uint32_t, void* user) {
  auto* self = static_cast<Impl*>(user);
  uint64_t sp = 0;
  uc_reg_read(uc, UC_ARM64_REG_SP, &sp);
  if ((sp & 0xf) == 0) return;
  uint8_t bytes[4];
  const uint8_t* p = self->mem.host(PhysAddr{address}, 4);
  if (!p) return;
  std::memcpy(bytes, p, 4);
  if (!self->disasm.sp_based_access(address, bytes)) return;  // overwritten since load
  Fault f = fault_at(FaultKind::SpAlignment, address);
  f.address = sp;
  f.detail = fmt::format("sp {:#x} is not 16-byte aligned (SCTLR_EL1.SA)", sp);
  self->describe(f);
  self->stop_with(std::move(f));
}

// With a memory hook installed, Unicorn 2.0.1 stores the instruction's address in PC before each
// load or store (disas_ldst in translate-a64.c), so PC names the instruction making the access.
void Engine::Impl::observe_mem_hook(uc_engine* uc, uc_mem_type type, uint64_t address, int size,
                                    int64_t value, void* user) {
  auto* self = static_cast<Impl*>(user);
  if (self->replaying) return;
  uint64_t pc = 0;
  uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
  bool write = type == UC_MEM_WRITE;
  uint64_t v = static_cast<uint64_t>(value);
  if (!write) {
    v = 0;
    if (const uint8_t* p = self->mem.host(PhysAddr{address}, size)) {
      std::memcpy(&v, p, std::min<size_t>(size, 8));
    }
  }
  self->observer->on_memory(pc, write, address, static_cast<uint32_t>(size), v);
}

void Engine::Impl::remove_range_hooks() {
  for (uc_hook h : range_hooks)
    uc_hook_del(uc, h);
  range_hooks.clear();
  observed.clear();
}

// Drops translated code so hooks added or removed since take effect. Per executable region:
// Unicorn 2.0.1's whole-cache UC_CTL_TB_FLUSH costs 10 ms to over a second.
void Engine::Impl::flush_translations() {
  for (const RegionMemory::Region& r : mem.regions()) {
    if (r.spec.el1_mapped && (r.spec.perms & kExec)) {
      check(uc_ctl_remove_cache(uc, r.spec.base, r.spec.end()), "uc_ctl_remove_cache");
    }
  }
}

// A code hook per wfi and per SP-based access. While a run has a budget, each costs about 1 ns
// on every instruction (Unicorn walks all code hooks once its count hook is in place).
void Engine::Impl::hook_special_words(uint64_t address, std::span<const uint8_t> bytes,
                                      bool check_sp) {
  for (size_t off = 0; off + 4 <= bytes.size(); off += 4) {
    uint32_t w;
    std::memcpy(&w, bytes.data() + off, 4);
    uint64_t at = address + off;
    void* callback = nullptr;
    if (w == kWfiWord) {
      callback = reinterpret_cast<void*>(&wfi_hook);
    } else if (check_sp && disasm.sp_based_access(at, bytes.subspan(off, 4))) {
      callback = reinterpret_cast<void*>(&sp_access_hook);
    }
    if (!callback || hooked.count(at)) continue;
    uc_hook h;
    check(uc_hook_add(uc, &h, UC_HOOK_CODE, callback, this, at, at), "uc_hook_add(code word)");
    hooked.insert(at);
  }
}

}  // namespace ffaemu::emu
