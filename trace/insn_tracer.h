// Instruction-level tracing (`--trace-level insn`): an emu::ExecObserver that turns each executed
// instruction into an InsnEvent. Register deltas come from comparing register values, never from
// Capstone 4's access flags, which are wrong for moves (emulation-tech.md 3.1). The tracer reads
// registers once per translation block and at each trap, only those the block's instructions can
// write (trace/insn_writes.h); runs of code where two of them may write the same register are
// observed instruction by instruction (trace/code_scan.h). Disassembly is decoded once per
// address and kept until the word there changes.
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
  // Observe every instruction and read all 34 registers after each one: several times slower,
  // and the reference the tests compare the block-level tracing against.
  bool read_all_registers = false;
};

class InsnTracer final : public emu::ExecObserver {
 public:
  // Attaches itself to `engine` (installing its hooks) until destroyed.
  InsnTracer(emu::Engine& engine, Writer& writer, InsnTracerOptions options = {});
  ~InsnTracer() override;
  InsnTracer(const InsnTracer&) = delete;
  InsnTracer& operator=(const InsnTracer&) = delete;

  void on_block(uint64_t pc, uint32_t size) override;
  void on_instruction(uint64_t pc, uint32_t size) override;
  void on_trap(uint64_t pc) override;
  void on_memory(uint64_t pc, bool write, uint64_t address, uint32_t size, uint64_t value) override;
  void on_code_write(uint64_t begin, uint64_t end) override;
  // Writes the block that was running, up to where the run stopped: the instruction that faulted
  // is included, the one a budget stopped before is not.
  void on_run_end(const emu::RunResult& result) override;

  // Writes what is still pending (the engine does this at the end of every run).
  void flush();
  // Route calls and boot events through the tracer so each call follows the smc/hvc that made it.
  void call(const CallRecord& call);
  void boot(const BootEvent& event);

  [[nodiscard]] uint64_t instructions() const { return seq_; }
  [[nodiscard]] uint64_t decodes() const { return decodes_; }  // Capstone runs (cache misses)
  // The ranges observed instruction by instruction (trace/code_scan.h).
  [[nodiscard]] const std::vector<emu::AddressRange>& observed() const { return observed_; }

 private:
  struct Decoded {
    uint32_t word = 0;
    uint32_t site = kNoSite;
    const uint8_t* bytes = nullptr;  // the guest's copy of the word, to notice when it changes
    uint64_t writes = 0;             // trace/insn_writes.h mask
    std::string text;
  };
  struct Block {
    uint64_t pc = 0;
    uint32_t size = 0;
    const uint8_t* bytes = nullptr;  // guest memory, compared with `words` when it may differ
    bool writable = false;           // the guest can store into it: compared at every start
    uint64_t checked = 0;            // the code_writes_ count when last compared
    std::vector<uint32_t> words;
    std::vector<const Decoded*> insns;
    uint64_t writes = 0;  // what the whole block can write
    emu::RegRead read;    // of `writes` (all registers in the reference mode) into now_
  };

  const Decoded& decode(uint64_t pc, uint32_t size);
  const Decoded& redecode(Decoded& d, uint64_t pc, uint32_t size);
  Block& block(uint64_t pc, uint32_t size);
  void rebuild(Block& b, uint64_t pc, uint32_t size);
  void rescan();
  // Writes the running block's instructions up to (not including) index `end`; the last of them
  // continues at `next_pc`.
  void complete(size_t end, uint64_t next_pc);
  void emit(const Decoded& d, uint64_t pc, uint64_t next_pc, uint64_t mask, size_t& mem_begin,
            uint64_t later_end);
  [[nodiscard]] bool in_block(uint64_t pc) const {
    return block_ && pc >= block_->pc && pc - block_->pc < block_->insns.size() * 4;
  }
  void write_deferred();

  emu::Engine& engine_;
  Writer& writer_;
  InsnTracerOptions options_;
  emu::Disassembler disasm_;
  std::unordered_map<uint64_t, Decoded> cache_;  // nodes never move: blocks point into it
  std::unordered_map<uint64_t, Block> blocks_;
  std::array<Block*, 1024> recent_{};  // direct-mapped by pc, in front of blocks_
  std::vector<emu::AddressRange> observed_;
  uint64_t seq_ = 0;
  uint64_t decodes_ = 0;
  uint64_t code_writes_ = 1;  // host writes into code seen (on_code_write)

  // The block running and how many of its instructions have been written.
  Block* block_ = nullptr;
  size_t done_ = 0;
  emu::CpuRegs state_;  // the registers before instruction done_ of the running block
  emu::CpuRegs now_;    // the registers read at the last sync (only the read set is current)
  std::array<RegDelta, emu::kCpuRegCount> deltas_{};
  std::vector<uint64_t> memory_pc_;  // the instruction of each access in memory_
  std::vector<MemAccess> memory_;
  std::vector<CallRecord> deferred_;
};

}  // namespace ffaemu::trace
