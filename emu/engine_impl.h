// Private to emu/: the engine's state and its Unicorn hooks (the calls, the faults, the replay
// that pins a memory fault's PC). engine.cpp drives it; nothing outside emu/ includes this.
#pragma once

#include <unicorn/unicorn.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "emu/disasm.h"
#include "emu/engine.h"
#include "emu/layout.h"

namespace ffaemu::emu::detail {

// QEMU exception numbers as Unicorn's INTR hook sees them (qemu/target/arm/cpu.h).
constexpr uint32_t kExcpUdef = 1;
constexpr uint32_t kExcpSwi = 2;
constexpr uint32_t kExcpBkpt = 7;
constexpr uint32_t kExcpHvc = 11;
constexpr uint32_t kExcpHypTrap = 12;
constexpr uint32_t kExcpSmc = 13;

constexpr uint32_t kWfiWord = 0xd503207f;
constexpr uint32_t kExcMask = 0xffe0001f;  // exception-generating class, imm16 masked out
constexpr uint32_t kSmcWord = 0xd4000003;
constexpr uint32_t kHvcWord = 0xd4000002;
constexpr uint32_t kSvcWord = 0xd4000001;
constexpr uint32_t kBrkWord = 0xd4200000;

constexpr uint64_t kScrNs = 1u << 0;
constexpr uint64_t kScrHce = 1u << 8;
constexpr uint64_t kScrRw = 1u << 10;

inline void check(uc_err err, const char* operation) {
  if (err != UC_ERR_OK) throw UnicornError(operation, err, uc_strerror(err));
}

// x0-x28 are contiguous in uc_arm64_reg; x29, x30, SP, PC and NZCV are not.
constexpr int uc_reg_id(int index) {
  if (index < 29) return UC_ARM64_REG_X0 + index;
  switch (index) {
    case 29:
      return UC_ARM64_REG_X29;
    case 30:
      return UC_ARM64_REG_X30;
    case 31:
      return UC_ARM64_REG_SP;
    case 32:
      return UC_ARM64_REG_PC;
    default:
      return UC_ARM64_REG_NZCV;
  }
}

// The Unicorn id of each CpuRegs index, built at compile time (no guard on the hot paths); not
// const because uc_reg_read_batch takes `int*`.
constinit inline std::array<int, kCpuRegCount> uc_reg_ids = [] {
  std::array<int, kCpuRegCount> ids{};
  for (int i = 0; i < kCpuRegCount; ++i)
    ids[static_cast<size_t>(i)] = uc_reg_id(i);
  return ids;
}();

inline FaultKind kind_of(uc_mem_type type) {
  switch (type) {
    case UC_MEM_READ_UNMAPPED:
      return FaultKind::ReadUnmapped;
    case UC_MEM_WRITE_UNMAPPED:
      return FaultKind::WriteUnmapped;
    case UC_MEM_FETCH_UNMAPPED:
      return FaultKind::FetchUnmapped;
    case UC_MEM_READ_PROT:
      return FaultKind::ReadProtected;
    case UC_MEM_WRITE_PROT:
      return FaultKind::WriteProtected;
    case UC_MEM_FETCH_PROT:
      return FaultKind::FetchProtected;
    default:
      return FaultKind::UnhandledException;
  }
}

inline std::optional<FaultKind> kind_of(uc_err err) {
  switch (err) {
    case UC_ERR_READ_UNMAPPED:
      return FaultKind::ReadUnmapped;
    case UC_ERR_WRITE_UNMAPPED:
      return FaultKind::WriteUnmapped;
    case UC_ERR_FETCH_UNMAPPED:
      return FaultKind::FetchUnmapped;
    case UC_ERR_READ_PROT:
      return FaultKind::ReadProtected;
    case UC_ERR_WRITE_PROT:
      return FaultKind::WriteProtected;
    case UC_ERR_FETCH_PROT:
      return FaultKind::FetchProtected;
    default:
      return std::nullopt;
  }
}

inline const char* exception_name(uint32_t intno) {
  switch (intno) {
    case kExcpSwi:
      return "svc (supervisor call to EL1)";
    case kExcpHypTrap:
      return "trap to EL2";
    case 3:
      return "prefetch abort";
    case 4:
      return "data abort";
    default:
      return "exception";
  }
}

inline Fault fault_at(FaultKind kind, uint64_t pc) {
  Fault f;
  f.kind = kind;
  f.pc = pc;
  return f;
}

}  // namespace ffaemu::emu::detail

namespace ffaemu::emu {

using namespace detail;

class Engine::Impl {
 public:
  uc_engine* uc = nullptr;
  RegionMemory mem;
  Disassembler disasm;
  TrapHandler* handler = nullptr;
  ExecObserver* observer = nullptr;
  bool el2 = true;
  uc_context* snapshot = nullptr;
  std::set<uint64_t> hooked;  // addresses with a wfi or SP-alignment code hook
  std::vector<uc_hook> observer_hooks;

  // Per-run state, reset by begin_run().
  struct MemFault {
    uc_mem_type type;
    uint64_t address;
    int size;
  };
  std::optional<MemFault> mem_fault;
  std::optional<Fault> fault;
  std::exception_ptr handler_error;
  bool stopped_by_handler = false;
  uint64_t traps = 0;
  bool recording = false;
  bool replaying = false;
  std::vector<TrapReply> recorded;
  size_t replay_pos = 0;
  uint64_t last_pc = 0;

  ~Impl() {
    if (snapshot) uc_context_free(snapshot);
    if (uc) uc_close(uc);
  }

  void begin_run(bool record) {
    mem_fault.reset();
    fault.reset();
    handler_error = nullptr;
    stopped_by_handler = false;
    traps = 0;
    recording = record;
    recorded.clear();
  }

  std::optional<uint32_t> word_at(uint64_t address) {
    const uint8_t* p = mem.host(PhysAddr{address}, 4);
    if (!p) return std::nullopt;
    uint32_t w;
    std::memcpy(&w, p, 4);
    return w;
  }

  void describe(Fault& f) {
    f.insn_word = word_at(f.pc);
    if (!f.insn_word) return;
    uint8_t bytes[4];
    std::memcpy(bytes, &*f.insn_word, 4);
    auto insn = disasm.decode(f.pc, bytes);
    f.disasm = insn ? insn->text() : fmt::format(".inst {:#010x}", *f.insn_word);
  }

  void stop_with(Fault f) {
    fault = std::move(f);
    uc_emu_stop(uc);
  }

  void write_scr() {
    uc_arm64_cp_reg scr{};
    scr.crn = 1;
    scr.crm = 1;
    scr.op0 = 3;
    scr.op1 = 6;
    scr.op2 = 0;
    scr.val = kScrNs | kScrRw | (el2 ? kScrHce : 0);
    check(uc_reg_write(uc, UC_ARM64_REG_CP_REG, &scr), "uc_reg_write(SCR_EL3)");
  }

  void on_call(ConduitKind conduit, uint64_t insn_pc) {
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

  void on_exception(uint32_t intno, uint64_t pc) {
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

  static void intr_hook(uc_engine* uc, uint32_t intno, void* user) {
    auto* self = static_cast<Impl*>(user);
    uint64_t pc = 0;
    uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
    if (intno == kExcpSmc || intno == kExcpHvc) {
      self->on_call(intno == kExcpSmc ? ConduitKind::Smc : ConduitKind::Hvc, pc - 4);
    } else {
      self->on_exception(intno, pc);
    }
  }

  static bool invalid_hook(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t,
                           void* user) {
    static_cast<Impl*>(user)->mem_fault = MemFault{type, address, size};
    return false;
  }

  static void wfi_hook(uc_engine*, uint64_t address, uint32_t, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (self->word_at(address) != kWfiWord) return;  // the code was overwritten since load
    Fault f = fault_at(FaultKind::WaitForInterrupt, address);
    f.detail = "no interrupt can arrive: the emulated CPU would sleep forever";
    self->describe(f);
    self->stop_with(std::move(f));
  }

  // A load or store based on SP: with SCTLR_EL1.SA (set by Linux) a misaligned SP faults. Unicorn
  // does not check it, so the engine does, at each such instruction found when code is loaded.
  static void sp_access_hook(uc_engine* uc, uint64_t address, uint32_t, void* user) {
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

  static void trace_pc_hook(uc_engine*, uint64_t address, uint32_t, void* user) {
    static_cast<Impl*>(user)->last_pc = address;
  }

  // Observers see the original run only, never the replay that pins a fault's PC.
  static void observe_code_hook(uc_engine*, uint64_t address, uint32_t size, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (!self->replaying) self->observer->on_instruction(address, size);
  }

  static void observe_mem_hook(uc_engine*, uc_mem_type type, uint64_t address, int size,
                               int64_t value, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (self->replaying) return;
    bool write = type == UC_MEM_WRITE;
    uint64_t v = static_cast<uint64_t>(value);
    if (!write) {
      v = 0;
      if (const uint8_t* p = self->mem.host(PhysAddr{address}, size)) {
        std::memcpy(&v, p, std::min<size_t>(size, 8));
      }
    }
    self->observer->on_memory(write, address, static_cast<uint32_t>(size), v);
  }

  // Drops translated code so hooks added or removed since take effect. Per executable region:
  // Unicorn 2.0.1's whole-cache UC_CTL_TB_FLUSH costs 10 ms to over a second.
  void flush_translations() {
    for (const RegionMemory::Region& r : mem.regions()) {
      if (r.spec.el1_mapped && (r.spec.perms & kExec)) {
        check(uc_ctl_remove_cache(uc, r.spec.base, r.spec.end()), "uc_ctl_remove_cache");
      }
    }
  }

  // Code hooks on single addresses cost nothing elsewhere: one per wfi and per SP-based access.
  void hook_special_words(uint64_t address, std::span<const uint8_t> bytes, bool check_sp) {
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

  // Unicorn 2.0.1 reports the translation block's start for a memory fault. Re-run from the
  // snapshot with a code hook on every instruction, answering traps from the recording so models
  // see nothing twice, and take the instruction that faults the same way.
  void pin_fault_pc(uint64_t entry, uint64_t budget, Fault& f) {
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
  void describe_region(Fault& f) {
    std::string where = "no region maps it";
    if (const RegionSpec* r = mem.find(PhysAddr{f.address}, 1)) {
      where = fmt::format("in region '{}' ({}{}{}{})", r->name, r->perms & kRead ? 'r' : '-',
                          r->perms & kWrite ? 'w' : '-', r->perms & kExec ? 'x' : '-',
                          r->el1_mapped ? "" : ", not mapped at EL1");
    }
    f.detail = f.detail.empty() ? where : fmt::format("{}; {}", where, f.detail);
  }

  std::string describe_at(uint64_t address) {
    Fault probe = fault_at(FaultKind::UnhandledException, address);
    describe(probe);
    return probe.disasm.empty() ? "<unreadable>" : probe.disasm;
  }
};

}  // namespace ffaemu::emu
