// Private to emu/: the engine's state and the declarations of its Unicorn hooks, defined in
// engine_traps.cpp (calls, exceptions, wfi, SP alignment, observers) and engine_faults.cpp (fault
// reports and the replay that pins a memory fault's PC). engine.cpp drives it.
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
  uint32_t nzcv_slot = 0;  // where Engine::read puts NZCV before widening it
  RegionMemory mem;
  Disassembler disasm;
  TrapHandler* handler = nullptr;
  ExecObserver* observer = nullptr;
  bool el2 = true;
  uc_context* snapshot = nullptr;
  uc_context* at_fault = nullptr;       // the registers a faulting run left, kept across its replay
  std::set<uint64_t> hooked;            // addresses with a wfi or SP-alignment code hook
  std::vector<uc_hook> observer_hooks;  // block and memory hooks of the attached observer
  std::vector<uc_hook> range_hooks;     // its observe_instructions() code hooks
  std::vector<AddressRange> observed;

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
    if (at_fault) uc_context_free(at_fault);
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

  // The word at f.pc and its disassembly.
  void describe(Fault& f);

  void stop_with(Fault f) {
    fault = std::move(f);
    uc_emu_stop(uc);
  }

  // SCR_EL3: NS and RW always, HCE when EL2 is present (so hvc traps instead of UNDEFINED).
  void write_scr();
  // An smc or hvc at insn_pc: x0-x17 to the TrapHandler (or from the recording in a replay) and
  // its reply back into x0-x17.
  void on_call(ConduitKind conduit, uint64_t insn_pc);
  // Any other exception: a fault naming the instruction.
  void on_exception(uint32_t intno, uint64_t pc);
  static void intr_hook(uc_engine* uc, uint32_t intno, void* user);

  static bool invalid_hook(uc_engine*, uc_mem_type type, uint64_t address, int size, int64_t,
                           void* user) {
    static_cast<Impl*>(user)->mem_fault = MemFault{type, address, size};
    return false;
  }

  static void wfi_hook(uc_engine*, uint64_t address, uint32_t, void* user);
  // A load or store based on SP: with SCTLR_EL1.SA (set by Linux) a misaligned SP faults. Unicorn
  // does not check it, so the engine does, at each such instruction found when code is loaded.
  static void sp_access_hook(uc_engine* uc, uint64_t address, uint32_t, void* user);

  static void trace_pc_hook(uc_engine*, uint64_t address, uint32_t, void* user) {
    static_cast<Impl*>(user)->last_pc = address;
  }

  // Observers see the original run only, never the replay that pins a fault's PC.
  static void observe_block_hook(uc_engine*, uint64_t address, uint32_t size, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (!self->replaying) self->observer->on_block(address, size);
  }
  static void observe_code_hook(uc_engine*, uint64_t address, uint32_t size, void* user) {
    auto* self = static_cast<Impl*>(user);
    if (!self->replaying) self->observer->on_instruction(address, size);
  }

  static void observe_mem_hook(uc_engine*, uc_mem_type type, uint64_t address, int size,
                               int64_t value, void* user);

  void remove_range_hooks();

  // Drops translated code so hooks added or removed since take effect. Per executable region:
  // Unicorn 2.0.1's whole-cache UC_CTL_TB_FLUSH costs 10 ms to over a second.
  void flush_translations();

  // A code hook per wfi and per SP-based access. While a run has a budget, each costs about 1 ns
  // on every instruction (Unicorn walks all code hooks once its count hook is in place).
  void hook_special_words(uint64_t address, std::span<const uint8_t> bytes, bool check_sp);

  // Unicorn 2.0.1 reports the translation block's start for a memory fault. Re-run from the
  // snapshot with a code hook on every instruction, answering traps from the recording so models
  // see nothing twice, and take the instruction that faults the same way.
  void pin_fault_pc(uint64_t entry, uint64_t budget, Fault& f);

  RunResult finish_run(uc_err err, uint64_t entry, const RunOptions& options, RunResult result);

  // Names the region a faulting data address falls in, and its permissions.
  void describe_region(Fault& f);
  // The disassembly at `address`, or "<unreadable>".
  std::string describe_at(uint64_t address);
};

}  // namespace ffaemu::emu
