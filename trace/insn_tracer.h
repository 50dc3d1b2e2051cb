// Instruction-level tracing (`--trace-level insn`): an emu::ExecObserver that turns each executed
// instruction into an InsnEvent. Disassembly is decoded once per address and cached until the word
// there changes. Register deltas come from comparing register values before and after each
// instruction, never from Capstone 4's access flags, which are wrong for moves
// (emulation-tech.md 3.1); the delta is written when the next instruction starts.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "emu/disasm.h"
#include "emu/engine.h"
#include "trace/events.h"
#include "trace/writer.h"

namespace ffaemu::trace {

struct InsnTracerOptions {
  // Read all 34 registers after every instruction instead of only those it can change
  // (trace/insn_writes.h): several times slower, and the reference the tests compare against.
  bool read_all_registers = false;
};

class InsnTracer final : public emu::ExecObserver {
 public:
  // Attaches itself to `engine` (installing its hooks) until destroyed.
  InsnTracer(emu::Engine& engine, Writer& writer, InsnTracerOptions options = {});
  ~InsnTracer() override;
  InsnTracer(const InsnTracer&) = delete;
  InsnTracer& operator=(const InsnTracer&) = delete;

  void on_instruction(uint64_t pc, uint32_t size) override;
  void on_memory(bool write, uint64_t address, uint32_t size, uint64_t value) override;

  // Writes the last instruction of a run with its delta. The engine calls it at the end of every
  // run (on_run_end): the host changes registers between runs, and the next run starts from a
  // full register read.
  void flush();
  void on_run_end() override { flush(); }
  // Route calls and boot events through the tracer so each call follows the smc/hvc that made it.
  void call(const CallRecord& call);
  void boot(const BootEvent& event);

  [[nodiscard]] uint64_t instructions() const { return seq_; }
  [[nodiscard]] uint64_t decodes() const { return decodes_; }  // Capstone runs (cache misses)

 private:
  struct Decoded {
    uint64_t pc = 0;
    uint32_t word = 0;
    uint32_t site = kNoSite;
    const uint8_t* bytes = nullptr;  // the guest's copy of the word, to notice when it changes
    uint64_t writes = 0;             // trace/insn_writes.h mask
    std::string text;
  };
  const Decoded& decode(uint64_t pc, uint32_t size);
  const Decoded& redecode(Decoded& d, uint64_t pc, uint32_t size);
  void complete(uint64_t next_pc);
  void write_deferred();

  emu::Engine& engine_;
  Writer& writer_;
  InsnTracerOptions options_;
  emu::Disassembler disasm_;
  std::unordered_map<uint64_t, Decoded> cache_;  // nodes never move: recent_ points into it
  std::array<Decoded*, 1024> recent_{};          // direct-mapped by pc, in front of cache_
  uint64_t seq_ = 0;
  uint64_t decodes_ = 0;

  // The instruction that ran last; its event is written when the next one starts.
  bool pending_ = false;
  uint64_t pc_ = 0;
  uint32_t size_ = 0;
  const Decoded* insn_ = nullptr;
  emu::CpuRegs state_;  // the registers before the pending instruction
  emu::CpuRegs now_;    // the registers read after it (only its write set is current)
  std::array<RegDelta, emu::kCpuRegCount> deltas_{};
  std::vector<MemAccess> memory_;
  std::vector<CallRecord> deferred_;
};

}  // namespace ffaemu::trace
