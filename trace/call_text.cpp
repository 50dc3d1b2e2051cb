#include "trace/call_text.h"

#include <fmt/format.h>

#include "ffa_core/abi/catalog.h"

namespace ffaemu::trace {
namespace {

using emu::FunctionId;
using emu::SmcccRegs;
using ffa::CallFamily;

std::string version_text(uint32_t raw) {
  return fmt::format("v{}.{} ({:#x})", (raw >> 16) & 0x7fff, raw & 0xffff, raw);
}

std::string ffa_reply(const SmcccRegs& out) {
  uint32_t w0 = out.w(0);
  if (w0 == ffa::fid::kError) {
    auto e = ffa::error_from_code(out.w(2));
    return e ? fmt::format("FFA_ERROR {}", ffa::error_name(*e))
             : fmt::format("FFA_ERROR code {:#x}", out.w(2));
  }
  if (w0 == ffa::fid::kSuccess || w0 == ffa::fid::kSuccess64) {
    std::string s = w0 == ffa::fid::kSuccess ? "FFA_SUCCESS" : "FFA_SUCCESS_64";
    if (out.x[2] || out.x[3]) s += fmt::format(" x2={:#x} x3={:#x}", out.x[2], out.x[3]);
    return s;
  }
  if (out.x[0] == emu::kSmcUnknown) return "SMC_UNK (-1)";
  return fmt::format("{} x1={:#x} x2={:#x}", call_name(w0), out.x[1], out.x[2]);
}

std::string status_reply(const SmcccRegs& out) {
  auto v = static_cast<int32_t>(out.w(0));
  switch (v) {
    case 0:
      return "SUCCESS (0)";
    case -1:
      return "NOT_SUPPORTED (-1)";
    case -2:
      return "NOT_REQUIRED (-2)";
    case -3:
      return "INVALID_PARAMETER (-3)";
    default:
      return fmt::format("{:#x}", out.x[0]);
  }
}

}  // namespace

std::string call_name(uint32_t function_id) {
  if (const ffa::CallInfo* c = ffa::find_call(function_id)) return std::string(c->name);
  FunctionId f(function_id);
  return fmt::format("{}{} owner {} fn {:#x}", f.fast() ? "fast " : "yielding ",
                     f.smc64() ? "SMC64" : "SMC32", f.owner(), f.number());
}

std::string describe_id(uint32_t function_id) {
  FunctionId f(function_id);
  std::string s = fmt::format("{} {}, owner {} ({}), function {:#x}",
                              f.fast() ? "fast" : "yielding", f.smc64() ? "SMC64" : "SMC32",
                              f.owner(), emu::owner_name(f.owner(), f.fast()), f.number());
  if (f.sve_hint()) s += ", SVE hint";
  if (f.fast() && f.reserved_bits())
    s += fmt::format(", reserved bits 23:17 = {:#x}", f.reserved_bits());
  return s;
}

std::string describe_args(const SmcccRegs& in) {
  uint32_t id = in.w(0);
  const ffa::CallInfo* c = ffa::find_call(id);
  std::string s = call_name(id);
  if (!c) return s;
  bool wide = FunctionId(id).smc64();
  for (size_t i = 0; i < c->args.size(); ++i) {
    if (c->args[i].empty()) continue;
    uint64_t v = wide ? in.x[i + 1] : in.w(static_cast<int>(i) + 1);
    s += fmt::format(" {}={:#x}", c->args[i], v);
  }
  return s;
}

std::string describe_result(const SmcccRegs& in, const SmcccRegs& out) {
  uint32_t id = in.w(0);
  if (id == ffa::fid::kVersion || id == ffa::fid::kSmcccVersion) {
    if (static_cast<int32_t>(out.w(0)) < 0) {
      return id == ffa::fid::kVersion ? "NOT_SUPPORTED (-1)" : "SMC_UNK (-1)";
    }
    return version_text(out.w(0));
  }
  if (id == ffa::fid::kPsciVersion) {
    return fmt::format("PSCI v{}.{}", (out.w(0) >> 16) & 0x7fff, out.w(0) & 0xffff);
  }
  const ffa::CallInfo* c = ffa::find_call(id);
  if (c && c->family == CallFamily::Ffa) return ffa_reply(out);
  if (c) return status_reply(out);
  if (ffa::is_ffa_call(FunctionId(id))) return ffa_reply(out);
  return out.x[0] == emu::kSmcUnknown ? "SMC_UNK (-1)" : fmt::format("x0={:#x}", out.x[0]);
}

}  // namespace ffaemu::trace
