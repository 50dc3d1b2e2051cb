// Shared by the trace writer tests: hand-encoded guests (the assembly next to each word), model
// doubles that report their hops like pKVM, the SPMD and the SPMC, and a writer that keeps copies
// of the events it receives.
#pragma once

#include <cstring>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "emu/engine.h"
#include "emu/layout.h"
#include "trace/call_recorder.h"
#include "trace/insn_tracer.h"
#include "trace/writer.h"

namespace ffaemu::trace {

inline void PrintTo(const RegDelta& d, std::ostream* os) {
  *os << reg_name(d.reg) << "=0x" << std::hex << d.old_value << "->0x" << d.new_value << std::dec;
}

inline void PrintTo(const MemAccess& m, std::ostream* os) {
  *os << (m.write ? "mw " : "mr ") << std::hex << "0x" << m.address << ":" << std::dec << m.size
      << "=0x" << std::hex << m.value << std::dec;
}

}  // namespace ffaemu::trace

namespace ffaemu::trace::testing {

using emu::layout::kCodeBase;
using emu::layout::kDataBase;

// FFA_VERSION(v1.2) from EL1, then uses the answer.
inline const std::vector<uint32_t> kVersionGuest = {
    0xd2800c60,  // movz x0, #0x63
    0xf2b08000,  // movk x0, #0x8400, lsl #16
    0xd2800041,  // movz x1, #0x2
    0xf2a00021,  // movk x1, #0x1, lsl #16
    0xd4000003,  // smc #0
    0x91000801,  // add x1, x0, #0x2
    0xf9000041,  // str x1, [x2]
    0xf9400043,  // ldr x3, [x2]
    0xd65f03c0,  // ret
};

// Three turns of a countdown loop.
inline const std::vector<uint32_t> kLoopGuest = {
    0xd2800060,  // movz x0, #0x3
    0xf1000400,  // loop: subs x0, x0, #0x1
    0x54ffffe1,  // b.ne loop
    0xd65f03c0,  // ret
};

// EL3 double: the SPMD passes FFA_VERSION to the SPMC, which answers v1.2.
class FakeEl3 : public emu::TrapHandler {
 public:
  explicit FakeEl3(CallRecorder& r) : recorder(r) {}
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    recorder.on_hop(ffa::Level::El3, "spmd");
    recorder.on_hop(ffa::Level::SEl2, "spmc:version");
    emu::SmcccRegs out = trap.regs;
    out.x[0] = 0x10002;
    return {out};
  }
  CallRecorder& recorder;
};

// EL2 double: pKVM traps the host's smc and forwards it with its own smc (depth 1).
class FakeEl2 : public emu::TrapHandler {
 public:
  FakeEl2(CallRecorder& r, emu::TrapHandler& el3) : recorder(r), el3(el3) {}
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    recorder.on_hop(ffa::Level::El2, "pkvm:do_ffa_version");
    emu::Trap own = trap;
    own.el = 2;
    emu::TrapReply reply = el3.on_trap(own);
    recorder.on_note(ffa::Level::El2, "negotiated v1.2");
    return reply;
  }
  CallRecorder& recorder;
  emu::TrapHandler& el3;
};

struct InsnCopy {
  uint64_t seq, pc;
  uint32_t word;
  std::string disasm;
  emu::CpuRegs before;
  std::vector<RegDelta> deltas;
  std::vector<MemAccess> memory;
};

// Keeps every event in arrival order ("insn 0x...", "call NAME", "boot KIND").
class RecordingWriter final : public Writer {
 public:
  void insn(const InsnEvent& e) override {
    insns.push_back({e.seq,
                     e.pc,
                     e.word,
                     std::string(e.disasm),
                     *e.before,
                     {e.deltas.begin(), e.deltas.end()},
                     {e.memory.begin(), e.memory.end()}});
    order.push_back("insn " + std::string(e.disasm));
  }
  void call(const CallRecord& c) override {
    calls.push_back(c);
    order.push_back("call " + std::to_string(c.seq));
  }
  void boot(const BootEvent& e) override { order.push_back("boot " + e.name); }
  void finish() override { finished = true; }

  std::vector<InsnCopy> insns;
  std::vector<CallRecord> calls;
  std::vector<std::string> order;
  bool finished = false;
};

// An engine whose smc/hvc go through EL1 and EL2 call taps to the doubles above.
class GuestRun {
 public:
  explicit GuestRun(std::vector<emu::RegionSpec> regions = emu::layout::default_regions())
      : regions_(std::move(regions)), engine(regions_) {
    engine.set_trap_handler(&el1_tap_);
  }

  void load(const std::vector<uint32_t>& words, uint64_t at = kCodeBase) {
    std::vector<uint8_t> bytes(words.size() * 4);
    std::memcpy(bytes.data(), words.data(), bytes.size());
    engine.load(at, bytes);
  }

  // Runs from the code base with x2 = the data base; calls and instructions go to `writer`,
  // instructions only when `insn` is set.
  emu::RunResult run(Writer& writer, bool insn, emu::RunOptions options = {}) {
    if (!options.args[2]) options.args[2] = kDataBase;
    if (!insn) {
      recorder.on_record = [&](const CallRecord& c) { writer.call(c); };
      return engine.run(kCodeBase, options);
    }
    InsnTracer tracer(engine, writer);
    recorder.on_record = [&](const CallRecord& c) { tracer.call(c); };
    emu::RunResult r = engine.run(kCodeBase, options);
    tracer.flush();
    return r;
  }

 private:
  std::vector<emu::RegionSpec> regions_;

 public:
  emu::Engine engine;
  CallRecorder recorder;

 private:
  FakeEl3 el3_{recorder};
  CallRecorder::Tap el2_tap_{recorder, ffa::Level::El2, el3_};
  FakeEl2 el2_{recorder, el2_tap_};
  CallRecorder::Tap el1_tap_{recorder, ffa::Level::El1, el2_};
};

// The whole trace of one run of `words` in `format`: instructions too when `insn` is set.
inline std::string trace_of(const std::vector<uint32_t>& words, std::string_view format, bool insn,
                            const WriterOptions& options = {}) {
  GuestRun run;
  run.load(words);
  std::ostringstream out;
  std::unique_ptr<Writer> writer = make_writer(format, out, options);
  run.run(*writer, insn);
  writer->finish();
  return out.str();
}

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

}  // namespace ffaemu::trace::testing
