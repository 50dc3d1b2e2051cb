#include "trace/call_json.h"

#include <fmt/format.h>

#include "trace/call_text.h"

namespace ffaemu::trace {

std::string hex64(uint64_t value) {
  return fmt::format("{:#x}", value);
}

nlohmann::ordered_json regs_json(const emu::SmcccRegs& regs) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (int i = 0; i < emu::kSmcccRegCount; ++i)
    out[fmt::format("x{}", i)] = hex64(regs.x[i]);
  return out;
}

nlohmann::ordered_json call_json(const CallRecord& call) {
  nlohmann::ordered_json path = nlohmann::ordered_json::array();
  for (const PathStep& step : call.path)
    path.push_back(std::string(ffa::level_name(step.level)));
  return {
      {"from", std::string(ffa::level_name(call.from))},
      {"conduit", emu::conduit_name(call.conduit)},
      {"name", call_name(call.in.w(0))},
      {"in", regs_json(call.in)},
      {"out", regs_json(call.out)},
      {"path", path},
  };
}

nlohmann::ordered_json calls_json(std::span<const CallRecord> calls) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const CallRecord& c : calls)
    out.push_back(call_json(c));
  return out;
}

}  // namespace ffaemu::trace
