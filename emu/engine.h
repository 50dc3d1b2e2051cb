// The emulator core: Unicorn running AArch64 code at EL1, every smc/hvc handed to a TrapHandler
// with the SMCCC register block, every way a guest can go wrong reported as a typed Fault with the
// exact PC. Unicorn stays behind this header (emulation-tech.md sections 1 and 2).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>

#include "emu/memory.h"
#include "emu/smccc.h"

namespace ffaemu::emu {

// A Unicorn call failed: the operation, the uc_err code and uc_strerror's text.
class UnicornError : public std::runtime_error {
 public:
  UnicornError(std::string operation, int code, const std::string& text);
  [[nodiscard]] int code() const { return code_; }
  [[nodiscard]] const std::string& operation() const { return operation_; }

 private:
  std::string operation_;
  int code_;
};

enum class FaultKind : uint8_t {
  ReadUnmapped,
  WriteUnmapped,
  FetchUnmapped,
  ReadProtected,
  WriteProtected,
  FetchProtected,
  UndefinedInstruction,
  Breakpoint,
  WaitForInterrupt,
  SpAlignment,
  BudgetExhausted,
  UnhandledException,
};

[[nodiscard]] const char* fault_kind_name(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::UnhandledException;
  uint64_t pc = 0;       // the faulting instruction (or the next one, for BudgetExhausted)
  bool pc_exact = true;  // false only when a replay could not pin the instruction down
  uint64_t address = 0;  // data address of a memory fault
  uint32_t size = 0;     // access size of a memory fault
  std::optional<uint32_t> insn_word;
  std::string disasm;  // "ldr x1, [x0]"
  std::string detail;  // extra context ("hvc with no EL2 present: SCR_EL3.HCE is 0")

  // One line: what, where, which instruction.
  [[nodiscard]] std::string message() const;
};

enum class StopReason : uint8_t {
  Exit,     // returned to the exit address
  Stopped,  // a TrapHandler asked to stop
  Fault,
};

struct RunResult {
  StopReason reason = StopReason::Exit;
  uint64_t pc = 0;
  std::optional<Fault> fault;
  uint64_t traps = 0;  // smc/hvc calls handled during the run

  [[nodiscard]] bool exited() const { return reason == StopReason::Exit; }
};

// General-purpose registers by index: 0-30 are x0-x30, then SP, PC, NZCV.
enum class Reg : uint8_t { Sp = 31, Pc = 32, Nzcv = 33 };
inline constexpr int kCpuRegCount = 34;

struct CpuRegs {
  std::array<uint64_t, kCpuRegCount> r{};
  [[nodiscard]] uint64_t x(int n) const { return r[n]; }
  [[nodiscard]] uint64_t sp() const { return r[31]; }
  [[nodiscard]] uint64_t pc() const { return r[32]; }
  [[nodiscard]] uint64_t nzcv() const { return r[33]; }
};

// Sees guest execution while attached (instruction tracing). Blocks are reported as they start
// and instructions one by one only inside the ranges the observer asks for (observe_instructions):
// a hook on every instruction costs several times the emulation (emulation-tech.md 1.10). With no
// observer attached no block, code or memory hook is installed, so tracing costs nothing when off.
class ExecObserver {
 public:
  virtual ~ExecObserver() = default;
  // A translation block of `size` bytes starts at `pc`. Its instructions run in order, up to an
  // smc/hvc or other exception word that ends it, unless the run ends inside it (on_run_end).
  virtual void on_block(uint64_t pc, uint32_t size) = 0;
  // An instruction in an observed range is about to run.
  virtual void on_instruction(uint64_t pc, uint32_t size) = 0;
  // The exception-generating instruction at `pc` (smc, hvc, svc, brk, udf...) is being taken;
  // nothing has acted on it yet. The instructions before it in its block have run.
  virtual void on_trap(uint64_t pc) = 0;
  // A load or store made by the instruction at `pc`; `value` is what was read or written.
  virtual void on_memory(uint64_t pc, bool write, uint64_t address, uint32_t size,
                         uint64_t value) = 0;
  // The host wrote into executable memory at [begin, end) (load, RegionMemory write or reset).
  virtual void on_code_write(uint64_t, uint64_t) {}
  // The run is over; `result` says where and why. The host may change registers before the next.
  virtual void on_run_end(const RunResult&) {}
};

// Guest addresses [begin, end).
struct AddressRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  friend bool operator==(const AddressRange&, const AddressRange&) = default;
};

struct EngineOptions {
  // EL2 implemented (SCR_EL3.HCE=1): hvc traps as a call. Without it hvc is UNDEFINED at EL1.
  bool el2_present = true;
};

struct LoadOptions {
  // Check SP alignment at each SP-based load/store of the image (a code hook per such
  // instruction). Off only for ffaemu's own trampoline, which keeps SP aligned by construction.
  bool check_sp_alignment = true;
};

struct RunOptions {
  uint64_t budget = 10'000'000;  // instructions; Unicorn's count, never its per-call timeout
  bool precise_faults = true;    // snapshot at entry so a memory fault can be replayed exactly
  std::optional<uint64_t> sp;    // default: top of the "stack" region
  std::array<std::optional<uint64_t>, 8> args{};  // x0-x7 at entry, when set
};

// A prepared Engine::read_regs: Unicorn's ids and the destination of each register in `mask`.
struct RegRead {
  uint64_t mask = 0;
  CpuRegs* into = nullptr;
  int count = 0;
  std::array<int, kCpuRegCount> ids{};
  std::array<void*, kCpuRegCount> ptrs{};
};

class Engine {
 public:
  // Maps `regions` (those with el1_mapped) into Unicorn in place; all of them are in memory().
  explicit Engine(std::span<const RegionSpec> regions, EngineOptions options = {});
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  [[nodiscard]] RegionMemory& memory();
  [[nodiscard]] const RegionMemory& memory() const;

  // Copies an image to its link address (must lie in one region) and drops stale translations.
  void load(uint64_t address, std::span<const uint8_t> bytes, LoadOptions options = {});

  void set_trap_handler(TrapHandler* handler);
  void set_el2_present(bool present);
  [[nodiscard]] bool el2_present() const;
  void attach(ExecObserver* observer);  // nullptr detaches
  // The attached observer's on_instruction fires for every instruction in `ranges` (replacing the
  // previous set). Each range is one Unicorn code hook, and while a run has a budget every hook
  // costs about a nanosecond on every instruction, wherever it runs: keep the set small.
  void observe_instructions(std::span<const AddressRange> ranges);

  [[nodiscard]] uint64_t reg(int index) const;
  [[nodiscard]] uint64_t reg(Reg r) const { return reg(static_cast<int>(r)); }
  void set_reg(int index, uint64_t value);
  void set_reg(Reg r, uint64_t value) { set_reg(static_cast<int>(r), value); }
  [[nodiscard]] CpuRegs cpu() const;
  // Reads the registers whose bit is set in `mask` (bit i is CpuRegs index i) into `into` with one
  // Unicorn call, leaving the others as they were: per-instruction tracing reads a few this way.
  void read_regs(uint64_t mask, CpuRegs& into) const;
  // The same read prepared once, for a caller that repeats it (a tracer, at every run of a
  // block): building the id list took as long as the read. Valid while `into` and the engine are.
  [[nodiscard]] RegRead prepare_read(uint64_t mask, CpuRegs& into) const;
  void read(const RegRead& read) const;
  // x0-x30 and NZCV back to zero, as on a fresh engine (SP and PC are set by every run).
  void reset_cpu();

  // Runs from `entry` with x30 = the exit address until the guest returns there, a handler stops
  // it, or it faults. Guest faults are results, not exceptions; a TrapHandler's exception is
  // rethrown here after the engine has stopped cleanly.
  RunResult run(uint64_t entry, const RunOptions& options = {});
  // How many times run() has been called since the engine was made.
  [[nodiscard]] uint64_t runs() const { return runs_; }

  // Disassembly of one instruction in guest memory ("<unreadable>" when not mapped).
  [[nodiscard]] std::string disassemble_at(uint64_t address) const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
  uint64_t runs_ = 0;
};

}  // namespace ffaemu::emu
