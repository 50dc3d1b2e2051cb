#include "trace/explain.h"

#include <fmt/format.h>

#include "emu/smccc.h"
#include "ffa_core/abi/catalog.h"
#include "trace/call_text.h"

namespace ffaemu::trace {
namespace {

constexpr ffa::FfaError kErrors[] = {
    ffa::FfaError::NotSupported, ffa::FfaError::InvalidParameters, ffa::FfaError::NoMemory,
    ffa::FfaError::Busy,         ffa::FfaError::Interrupted,       ffa::FfaError::Denied,
    ffa::FfaError::Retry,        ffa::FfaError::Aborted,           ffa::FfaError::NoData,
    ffa::FfaError::NotReady,
};

std::string since_text(const ffa::CallInfo& c) {
  const char* what = c.family == ffa::CallFamily::Ffa    ? "FF-A"
                     : c.family == ffa::CallFamily::Psci ? "PSCI"
                                                         : "SMCCC";
  return fmt::format("{} v{}.{}", what, c.since.major(), c.since.minor());
}

}  // namespace

std::optional<uint32_t> parse_function(std::string_view text) {
  if (const ffa::CallInfo* c = ffa::find_call(text)) return c->id;
  std::string s(text);
  try {
    size_t used = 0;
    unsigned long long v = std::stoull(s, &used, 0);
    if (used == s.size() && v <= 0xffffffffull) return static_cast<uint32_t>(v);
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

std::string register_usage(bool smc64, uint16_t major, uint16_t minor) {
  bool v12 = major > 1 || (major == 1 && minor >= 2);
  bool v11 = major > 1 || (major == 1 && minor >= 1);
  std::string args =
      smc64 ? (v12 ? "x1-x17" : "x1-x6 (x7 client ID)") : (v12 ? "w1-w7" : "w1-w6 (w7 client ID)");
  std::string results = smc64 ? (v12 ? "x0-x17" : "x0-x3") : (v12 ? "w0-w7" : "w0-w3");
  std::string rest =
      v11 ? "x4-x17 not used for results are preserved" : "x4-x17 may be clobbered (unpredictable)";
  return fmt::format("arguments {}, results {}; {}; x18-x30 and SP preserved{}", args, results,
                     rest, smc64 ? "" : "; callee ignores the upper 32 bits of x1-x7");
}

std::string explain_text(uint32_t id) {
  emu::FunctionId f(id);
  const ffa::CallInfo* c = ffa::find_call(id);
  std::string out = fmt::format("{:#010x}  {}\n", id, c ? std::string(c->name) : call_name(id));
  out += fmt::format("  bit 31    {}  {} call\n", f.fast() ? 1 : 0, f.fast() ? "fast" : "yielding");
  out +=
      fmt::format("  bit 30    {}  {}\n", f.smc64() ? 1 : 0,
                  f.smc64() ? "SMC64/HVC64 calling convention" : "SMC32/HVC32 calling convention");
  out += fmt::format("  29:24  {:4}  owner: {}\n", f.owner(), emu::owner_name(f.owner(), f.fast()));
  out += fmt::format("  23:17  {:4}  reserved{}\n", f.reserved_bits(),
                     f.fast() && f.reserved_bits() ? " (non-zero: TF-A answers SMC_UNK)" : "");
  out += fmt::format("  16     {:4}  SVE hint (SMCCC 1.3){}\n", f.sve_hint() ? 1 : 0,
                     f.sve_hint() ? ": no live SVE state" : "");
  out += fmt::format("  15:0  {:#6x}  function number\n", f.number());
  if (c) {
    out += fmt::format("  what      {}\n  since     {}\n", c->summary, since_text(*c));
    std::string args;
    for (size_t i = 0; i < c->args.size(); ++i) {
      if (!c->args[i].empty())
        args += fmt::format(" {}{}={}", f.smc64() ? 'x' : 'w', i + 1, c->args[i]);
    }
    if (!args.empty()) out += fmt::format("  args     {}\n", args);
    std::string errors;
    for (ffa::FfaError e : kErrors) {
      if (c->can_return(e)) errors += fmt::format(" {}", ffa::error_name(e));
    }
    if (!errors.empty()) out += fmt::format("  errors   {}\n", errors);
  }
  for (auto [major, minor] : {std::pair{1, 0}, std::pair{1, 1}, std::pair{1, 2}}) {
    out += fmt::format(
        "  SMCCC {}.{} {}\n", major, minor,
        register_usage(f.smc64(), static_cast<uint16_t>(major), static_cast<uint16_t>(minor)));
  }
  return out;
}

nlohmann::ordered_json explain_json(uint32_t id) {
  emu::FunctionId f(id);
  const ffa::CallInfo* c = ffa::find_call(id);
  nlohmann::ordered_json j = {
      {"id", fmt::format("{:#010x}", id)},
      {"name", c ? std::string(c->name) : call_name(id)},
      {"fast", f.fast()},
      {"smc64", f.smc64()},
      {"owner", f.owner()},
      {"owner_name", emu::owner_name(f.owner(), f.fast())},
      {"number", f.number()},
      {"sve_hint", f.sve_hint()},
      {"since", c ? nlohmann::ordered_json(since_text(*c)) : nlohmann::ordered_json(nullptr)},
  };
  nlohmann::ordered_json args = nlohmann::ordered_json::array(),
                         errors = nlohmann::ordered_json::array();
  if (c) {
    for (size_t i = 0; i < c->args.size(); ++i) {
      if (!c->args[i].empty()) {
        args.push_back({{"reg", fmt::format("{}{}", f.smc64() ? 'x' : 'w', i + 1)},
                        {"name", std::string(c->args[i])}});
      }
    }
    for (ffa::FfaError e : kErrors) {
      if (c->can_return(e)) errors.push_back(ffa::error_name(e));
    }
  }
  j["args"] = args;
  j["errors"] = errors;
  j["registers"] = {{"1.0", register_usage(f.smc64(), 1, 0)},
                    {"1.1", register_usage(f.smc64(), 1, 1)},
                    {"1.2", register_usage(f.smc64(), 1, 2)}};
  return j;
}

}  // namespace ffaemu::trace
