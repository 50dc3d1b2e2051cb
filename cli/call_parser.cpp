#include "cli/call_parser.h"

#include <charconv>
#include <vector>

#include <fmt/format.h>

#include "ffa_core/abi/catalog.h"

namespace ffaemu::cli {
namespace {

std::optional<uint64_t> number(std::string_view s) {
  int base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    s.remove_prefix(2);
    base = 16;
  }
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

std::optional<uint64_t> argument(std::string_view s) {
  for (auto [token, page] : {std::pair{"@tx", kTxPage}, std::pair{"@rx", kRxPage}}) {
    std::string_view t(token);
    if (s.substr(0, t.size()) != t) continue;
    s.remove_prefix(t.size());
    if (s.empty()) return page;
    if (s[0] != '+') return std::nullopt;
    auto off = number(s.substr(1));
    return off ? std::optional(page + *off) : std::nullopt;
  }
  return number(s);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == sep) {
      parts.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  return parts;
}

}  // namespace

std::variant<emu::SmcccRegs, CallParseError> parse_call(std::string_view text) {
  size_t colon = text.find(':');
  std::string_view name = text.substr(0, colon);
  emu::SmcccRegs regs;
  if (const ffa::CallInfo* info = ffa::find_call(name)) {
    regs.x[0] = info->id;
  } else if (auto id = number(name); id && *id <= 0xffffffff) {
    regs.x[0] = *id;
  } else {
    return CallParseError{fmt::format(
        "'{}': unknown call name (use a name such as FFA_VERSION or a function ID such as "
        "0x84000063)",
        name)};
  }
  if (colon == std::string_view::npos) return regs;
  std::vector<std::string_view> args = split(text.substr(colon + 1), ',');
  if (args.size() > emu::kSmcccRegCount - 1) {
    return CallParseError{
        fmt::format("'{}': {} arguments, at most 17 (x1-x17)", text, args.size())};
  }
  for (size_t i = 0; i < args.size(); ++i) {
    auto v = argument(args[i]);
    if (!v) {
      return CallParseError{fmt::format("'{}': argument {} '{}' is not a number, @tx or @rx (+N)",
                                        text, i + 1, args[i])};
    }
    regs.x[i + 1] = *v;
  }
  return regs;
}

}  // namespace ffaemu::cli
