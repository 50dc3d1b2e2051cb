#include "trace/writers/jsonl.h"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "trace/call_json.h"
#include "trace/call_text.h"
#include "trace/writers/append.h"

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
void write_typed(std::ostream& out, std::string_view type, const nlohmann::ordered_json& body) {
  std::string text = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  out << "{\"type\":\"" << type << "\"," << std::string_view(text).substr(1) << '\n';
}

}  // namespace

nlohmann::ordered_json call_event_json(const CallRecord& call) {
  nlohmann::ordered_json j = call_json(call);
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const PathStep& step : call.path) {
    steps.push_back(
        {{"level", std::string(ffa::level_name(step.level))}, {"handler", step.handler}});
  }
  j["seq"] = call.seq;
  j["depth"] = call.depth;
  j["pc"] = hex64(call.pc);
  j["steps"] = steps;
  j["result"] = describe_result(call.in, call.out);
  j["notes"] = call.notes;
  return j;
}

JsonlWriter::JsonlWriter(std::ostream& out) : out_(out) {
  line_.reserve(512);
}

void JsonlWriter::insn(const InsnEvent& e) {
  std::string& l = line_;
  l.clear();
  l += R"({"type":"insn","seq":)";
  append_dec(l, e.seq);
  l += R"(,"pc":")";
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
  for (size_t i = 0; i < e.deltas.size(); ++i) {
    const RegDelta& d = e.deltas[i];
    l += i ? ",\"" : "\"";
    l += reg_name(d.reg);
    l += R"(":[")";
    append_hex(l, d.old_value);
    l += R"(",")";
    append_hex(l, d.new_value);
    l += R"("])";
  }
  l += R"(},"mem":[)";
  for (size_t i = 0; i < e.memory.size(); ++i) {
    const MemAccess& m = e.memory[i];
    l += i ? R"(,{"op":")" : R"({"op":")";
    l += m.write ? 'w' : 'r';
    l += R"(","addr":")";
    append_hex(l, m.address);
    l += R"(","size":)";
    append_dec(l, m.size);
    l += R"(,"value":")";
    append_hex(l, m.value);
    l += R"("})";
  }
  l += "]}\n";
  out_.write(l.data(), static_cast<std::streamsize>(l.size()));
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
