#include "trace/call_order.h"

#include <algorithm>

namespace ffaemu::trace {

std::vector<CallRecord> CallOrder::add(const CallRecord& call) {
  waiting_.push_back(call);
  if (call.depth > 0) return {};
  return drain();
}

std::vector<CallRecord> CallOrder::drain() {
  std::vector<CallRecord> ready;
  ready.swap(waiting_);
  std::stable_sort(ready.begin(), ready.end(),
                   [](const CallRecord& a, const CallRecord& b) { return a.seq < b.seq; });
  return ready;
}

}  // namespace ffaemu::trace
