// Records every SMC/HVC of a system: who issued it (EL1 or EL2's own forwarded calls), x0-x17 in
// and out, and the exception-level path with the handler that acted at each level. Sits between
// the layers as TrapHandler decorators and listens to the models as their HopObserver.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"

namespace ffaemu::trace {

struct PathStep {
  ffa::Level level;
  std::string_view handler;  // what acted at this level, interned for the process; empty on return
  bool entry = true;         // false for the steps of a return
};

struct CallRecord {
  uint64_t seq = 0;  // issue order
  ffa::Level from = ffa::Level::El1;
  emu::ConduitKind conduit = emu::ConduitKind::Smc;
  uint64_t pc = 0;
  emu::SmcccRegs in;
  emu::SmcccRegs out;
  std::vector<PathStep> path;
  std::vector<std::string> notes;
  int depth = 0;  // 0: issued by EL1; 1: issued by a model while handling an EL1 call
};

class CallRecorder final : public ffa::HopObserver {
 public:
  // Called with each finished record, in completion order (nested calls first).
  std::function<void(const CallRecord&)> on_record;

  void on_hop(ffa::Level level, std::string_view handler) override;
  void on_note(ffa::Level level, std::string_view message) override;

  // Records are kept in issue order.
  [[nodiscard]] const std::vector<CallRecord>& records() const { return records_; }
  // Hands the records over (the recorder is empty afterwards).
  [[nodiscard]] std::vector<CallRecord> take_records();
  void clear();

  // A TrapHandler that records the calls `from` (EL1 or EL2) issues, then hands them to `inner`.
  class Tap final : public emu::TrapHandler {
   public:
    Tap(CallRecorder& recorder, ffa::Level from, emu::TrapHandler& inner)
        : recorder_(recorder), from_(from), inner_(inner) {}
    emu::TrapReply on_trap(const emu::Trap& trap) override;

   private:
    CallRecorder& recorder_;
    ffa::Level from_;
    emu::TrapHandler& inner_;
  };

 private:
  size_t begin(ffa::Level from, const emu::Trap& trap);
  void end(size_t index, const emu::SmcccRegs& out);
  void append(ffa::Level level, std::string_view handler, bool entry);
  void name(ffa::Level level, std::string_view handler);

  struct Open {
    size_t record;
    size_t stack_base;  // levels below this index belong to callers
  };
  std::vector<CallRecord> records_;
  std::vector<Open> open_;
  std::vector<ffa::Level> stack_;
};

// "EL1 -> EL2 pkvm:do_ffa_version -> EL3 spmd -> S-EL2 spmc:version -> EL3 -> EL2 -> EL1"
[[nodiscard]] std::string path_text(const std::vector<PathStep>& path);

}  // namespace ffaemu::trace
