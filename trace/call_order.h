// Puts calls back in issue order for writers that print one after another: CallRecorder reports
// a model's own calls (depth > 0) when they complete, before the call that caused them.
#pragma once

#include <vector>

#include "trace/call_recorder.h"

namespace ffaemu::trace {

class CallOrder {
 public:
  // The calls ready to write, in issue order: nothing while a nested call waits for its caller.
  [[nodiscard]] std::vector<CallRecord> add(const CallRecord& call);
  // Whatever still waits (a nested call whose caller never arrived).
  [[nodiscard]] std::vector<CallRecord> drain();

 private:
  std::vector<CallRecord> waiting_;
};

}  // namespace ffaemu::trace
