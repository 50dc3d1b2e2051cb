#include "trace/text_writer.h"

#include <fmt/format.h>

#include "trace/call_text.h"

namespace ffaemu::trace {
namespace {

std::string paint(const TextStyle& style, const char* code, const std::string& text) {
  return style.color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
}

}  // namespace

std::string format_call(const CallRecord& call, TextStyle style) {
  std::string indent(static_cast<size_t>(call.depth) * 4, ' ');
  uint32_t id = call.in.w(0);
  std::string out =
      fmt::format("{}#{:<3} {} {} #0  {}\n", indent, call.seq, ffa::level_name(call.from),
                  emu::conduit_name(call.conduit), paint(style, "1", describe_args(call.in)));
  out += fmt::format("{}     id    {:#010x}  {}\n", indent, id, describe_id(id));
  out += fmt::format("{}     ->    {}\n", indent,
                     paint(style, "36", describe_result(call.in, call.out)));
  out += fmt::format("{}     path  {}\n", indent, path_text(call.path));
  for (const std::string& note : call.notes) {
    out += fmt::format("{}     note  {}\n", indent, paint(style, "33", note));
  }
  return out;
}

}  // namespace ffaemu::trace
