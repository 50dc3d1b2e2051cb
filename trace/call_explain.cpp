#include "trace/call_explain.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>

#include "trace/explain.h"

namespace ffaemu::trace {
namespace {

using ffa::Level;

std::string with_handler(std::string text, std::string_view handler) {
  return handler.empty() ? text : fmt::format("{} in {}", text, handler);
}

// Why the call went from `from` to `to`, the level it entered next; `issuer` made the call.
std::string hop_reason(Level issuer, Level from, Level to, emu::ConduitKind conduit) {
  switch (to) {
    case Level::El2:
      return conduit == emu::ConduitKind::Hvc
                 ? "hvc targets EL2, so EL2 took it"
                 : "EL2 trapped the smc (pKVM sets HCR_EL2.TSC for the host)";
    case Level::El3:
      if (issuer == Level::El2) return "EL3 took it";
      if (from == Level::El2) return "EL2 forwarded it to EL3 with its own smc";
      return "nothing traps smc at EL2 (no pKVM), so it went straight to EL3";
    case Level::SEl2:
      return "the SPMD at EL3 passed it to the SPMC at S-EL2";
    case Level::SEl1:
      return "the SPMC passed it to a secure partition at S-EL1";
    case Level::El1:
      return "back to EL1";
  }
  return "";
}

}  // namespace

std::string explain_registers(const CallRecord& call, uint16_t major, uint16_t minor) {
  bool smc64 = call.in.function_id().smc64();
  std::string changed;
  for (int i = 0; i < emu::kSmcccRegCount; ++i) {
    if (call.in.x[static_cast<size_t>(i)] != call.out.x[static_cast<size_t>(i)])
      changed += fmt::format(" x{}", i);
  }
  return fmt::format("SMCCC {}.{}, {}: {}; this call changed{}", major, minor,
                     smc64 ? "SMC64" : "SMC32", register_usage(smc64, major, minor),
                     changed.empty() ? " no register" : changed);
}

std::string explain_path(const CallRecord& call) {
  std::string out =
      fmt::format("{} from {}", emu::conduit_name(call.conduit), ffa::level_name(call.from));
  std::vector<Level> stack{call.from};
  bool answered = false;
  for (size_t i = 1; i < call.path.size(); ++i) {
    const PathStep& step = call.path[i];
    auto it = std::find(stack.begin(), stack.end(), step.level);
    if (it == stack.end()) {
      out += "; " + with_handler(hop_reason(call.from, stack.back(), step.level, call.conduit),
                                 step.handler());
      stack.push_back(step.level);
      continue;
    }
    if (!answered && it + 1 != stack.end()) {
      out += fmt::format("; {} answered", ffa::level_name(stack.back()));
      answered = true;
    }
    stack.erase(it + 1, stack.end());
    if (!step.handler().empty()) {
      out += fmt::format("; back at {}, {} acted", ffa::level_name(step.level), step.handler());
    }
  }
  if (call.path.size() <= 1) out += "; no model took the call";
  return out;
}

}  // namespace ffaemu::trace
