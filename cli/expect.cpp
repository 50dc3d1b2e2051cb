#include "cli/expect.h"

#include <algorithm>

#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "trace/call_text.h"

namespace ffaemu::cli {
namespace {

constexpr const char* kErrorNames[] = {"NOT_SUPPORTED", "INVALID_PARAMETERS",
                                       "NO_MEMORY",     "BUSY",
                                       "INTERRUPTED",   "DENIED",
                                       "RETRY",         "ABORTED",
                                       "NO_DATA",       "NOT_READY"};

std::optional<int32_t> error_code(std::string_view name) {
  for (int i = 0; i < 10; ++i) {
    if (name == kErrorNames[i]) return -(i + 1);
  }
  return std::nullopt;
}

std::optional<uint32_t> version_word(const std::string& s) {
  unsigned major = 0, minor = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "v%u.%u%c", &major, &minor, &tail) != 2) return std::nullopt;
  if (major > 0x7fff || minor > 0xffff) return std::nullopt;
  return (major << 16) | minor;
}

bool result_matches(const std::string& want, const emu::SmcccRegs& out) {
  uint32_t w0 = out.w(0);
  if (want == "FFA_SUCCESS") return w0 == ffa::fid::kSuccess || w0 == ffa::fid::kSuccess64;
  if (want == "FFA_SUCCESS_32") return w0 == ffa::fid::kSuccess;
  if (want == "FFA_SUCCESS_64") return w0 == ffa::fid::kSuccess64;
  if (want == "SMC_UNK") return out.x[0] == emu::kSmcUnknown;
  if (want == "SUCCESS") return w0 == 0;
  if (auto v = version_word(want)) return w0 == *v;
  std::string name = want.rfind("FFA_ERROR ", 0) == 0 ? want.substr(10) : want;
  if (auto code = error_code(name)) {
    // FFA_VERSION's NOT_SUPPORTED comes back in w0 itself.
    if (static_cast<int32_t>(w0) == *code) return true;
    return w0 == ffa::fid::kError && static_cast<int32_t>(out.w(2)) == *code;
  }
  return false;
}

}  // namespace

std::optional<std::string> check_result_word(const std::string& result) {
  if (result == "FFA_SUCCESS" || result == "FFA_SUCCESS_32" || result == "FFA_SUCCESS_64" ||
      result == "SMC_UNK" || result == "SUCCESS" || version_word(result)) {
    return std::nullopt;
  }
  std::string name = result.rfind("FFA_ERROR ", 0) == 0 ? result.substr(10) : result;
  if (error_code(name)) return std::nullopt;
  return fmt::format(
      "bad expected result '{}': expected FFA_SUCCESS, FFA_SUCCESS_32, FFA_SUCCESS_64, SUCCESS, "
      "SMC_UNK, a version (v1.2), or an FF-A error name (DENIED, FFA_ERROR BUSY, ...)",
      result);
}

std::string mismatch(const CallExpect& expect, const emu::SmcccRegs& in,
                     const emu::SmcccRegs& out) {
  std::string diff;
  if (expect.result && !result_matches(*expect.result, out)) {
    diff += fmt::format("expected {}, got {}", *expect.result, trace::describe_result(in, out));
  }
  for (const auto& [index, value] : expect.regs) {
    if (out.x[index] == value) continue;
    if (!diff.empty()) diff += "; ";
    diff += fmt::format("x{}: expected {:#x}, got {:#x}", index, value, out.x[index]);
  }
  return diff;
}

const std::map<std::string, std::string>& outcome_keys() {
  static const std::map<std::string, std::string> keys = {
      {"ffa_ready", "true or false"},
      {"ready_at", "an initcall level (device_initcall, late_initcall, ...) or null"},
      {"probe_error", "a negative errno or null"},
      {"partitions", "a number"},
      {"consumers.tpm", "bound, missing or failed"},
      {"consumers.ima", "tpm, bypass or failed"},
      {"panicked", "true or false"},
  };
  return keys;
}

std::string outcome_mismatch(const std::map<std::string, nlohmann::ordered_json>& expect,
                             const nlohmann::ordered_json& outcome) {
  std::string diff;
  for (const auto& [key, want] : expect) {
    std::string pointer = fmt::format("/{}", key);
    std::replace(pointer.begin(), pointer.end(), '.', '/');
    nlohmann::ordered_json::json_pointer ptr(pointer);
    nlohmann::ordered_json got = outcome.contains(ptr) ? outcome.at(ptr) : nlohmann::ordered_json();
    if (got == want) continue;
    if (!diff.empty()) diff += "; ";
    diff += fmt::format("{}: expected {}, got {}", key, want.dump(), got.dump());
  }
  return diff;
}

}  // namespace ffaemu::cli
