#include "trace/writers/jsonl.h"

#include <algorithm>
#include <array>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trace/call_json.h"
#include "trace/call_text.h"
#include "trace/writers/append.h"
#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {
namespace {

void append_escaped(std::string& out, std::string_view text) {
  bool plain = std::all_of(text.begin(), text.end(), [](char c) {
    return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20;
  });
  if (plain) {
    out += text;
    return;
  }
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "\\u00";
      append_hex_digits(out, static_cast<unsigned char>(c), 2);
    } else {
      out += c;
    }
  }
}

// `{"type":"<type>",` followed by the members of `body`.
void write_typed(OutBuffer& out, std::string_view type, const nlohmann::ordered_json& body) {
  std::string text = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  out.put(R"({"type":")");
  out.put(type);
  out.put("\",");
  out.put(std::string_view(text).substr(1));
  out.put("\n");
}

// `"x0":["` and `,"x0":["` for each register, padded for put_padded; built once, not per line.
struct Keys {
  std::array<std::array<char, 16>, emu::kCpuRegCount> text{};
  std::array<uint8_t, emu::kCpuRegCount> size{};
  Keys() {
    for (int i = 0; i < emu::kCpuRegCount; ++i) {
      std::string key = fmt::format(R"(,"{}":[")", reg_name(i));
      std::copy(key.begin(), key.end(), text[static_cast<size_t>(i)].begin());
      size[static_cast<size_t>(i)] = static_cast<uint8_t>(key.size());
    }
  }
  [[nodiscard]] std::string_view get(uint8_t reg, bool first) const {
    return std::string_view(text[reg].data(), size[reg]).substr(first ? 1 : 0);
  }
};
const Keys kKeys;

}  // namespace

nlohmann::ordered_json call_event_json(const CallRecord& call) {
  nlohmann::ordered_json j = call_json(call);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const PathStep& step : call.path) {
    steps.push_back(
        {{"level", std::string(ffa::level_name(step.level))}, {"handler", step.handler()}});
  }
  j["seq"] = call.seq;
  j["depth"] = call.depth;
  j["pc"] = hex64(call.pc);
  j["steps"] = steps;
  j["result"] = describe_result(call.in, call.out);
  j["notes"] = call.notes;
  return j;
}

JsonlWriter::JsonlWriter(std::ostream& out) : out_(out) {}

// `,"pc":...,"disasm":"...","regs":{`: the part of an instruction's line fixed by its site.
std::string JsonlWriter::site_text(const InsnEvent& e) {
  std::string l = R"(,"pc":")";
  append_hex(l, e.pc);
  l += R"(","size":)";
  append_dec(l, e.size);
  l += R"(,"word":")";
  append_hex(l, e.word, 8);
  l += R"(","bytes":")";
  append_le_bytes(l, e.word, std::min<uint32_t>(e.size, 4));
  l += R"(","disasm":")";
  append_escaped(l, e.disasm);
  l += R"(","regs":{)";
  return l;
}

void JsonlWriter::insn(const InsnEvent& e) {
  std::string_view site = sites_.get(e, site_text);
  char* p = out_.reserve(64 + SiteText::room(site) + 64 * e.deltas.size() + 112 * e.memory.size());
  p = OutBuffer::put(p, R"({"type":"insn","seq":)");
  p = seq_.put(p, e.seq);
  p = SiteText::put(p, site);
  for (size_t i = 0; i < e.deltas.size(); ++i) {
    const RegDelta& d = e.deltas[i];
    p = OutBuffer::put_padded<15>(p, kKeys.get(d.reg, i == 0));
    p = hex_.put_hex(p, d.old_value);
    p = OutBuffer::put(p, R"(",")");
    p = hex_.put_hex(p, d.new_value);
    p = OutBuffer::put(p, R"("])");
  }
  p = OutBuffer::put(p, R"(},"mem":[)");
  for (size_t i = 0; i < e.memory.size(); ++i) {
    const MemAccess& m = e.memory[i];
    p = OutBuffer::put(p, i ? R"(,{"op":")" : R"({"op":")");
    *p++ = m.write ? 'w' : 'r';
    p = OutBuffer::put(p, R"(","addr":")");
    p = hex_.put_hex(p, m.address);
    p = OutBuffer::put(p, R"(","size":)");
    p = OutBuffer::put_dec(p, m.size);
    p = OutBuffer::put(p, R"(,"value":")");
    p = hex_.put_hex(p, m.value);
    p = OutBuffer::put(p, R"("})");
  }
  p = OutBuffer::put(p, "]}\n");
  out_.commit(p);
}

void JsonlWriter::call(const CallRecord& call) {
  for (const CallRecord& c : order_.add(call))
    write_typed(out_, "call", call_event_json(c));
}

void JsonlWriter::boot(const BootEvent& e) {
  nlohmann::ordered_json j = {
      {"seq", boot_seq_++},
      {"kind", std::string(boot_kind_name(e.kind))},
      {"level", e.level},
      {"name", e.name},
      {"ret", e.ret ? nlohmann::ordered_json(*e.ret) : nlohmann::ordered_json(nullptr)},
      {"message", e.message},
  };
  write_typed(out_, "boot", j);
}

void JsonlWriter::finish() {
  for (const CallRecord& c : order_.drain())
    write_typed(out_, "call", call_event_json(c));
  out_.flush();
}

}  // namespace ffaemu::trace
