#include "trace/writers/text.h"

#include <algorithm>

#include <fmt/format.h>

#include "trace/call_explain.h"
#include "trace/text_writer.h"
#include "trace/writers/append.h"

namespace ffaemu::trace {
namespace {

constexpr size_t kDisasmWidth = 28;

void paint_on(std::string& line, bool color, const char* code) {
  if (!color) return;
  line += "\x1b[";
  line += code;
  line += 'm';
}

void paint_off(std::string& line, bool color) {
  if (color) line += "\x1b[0m";
}

}  // namespace

TextWriter::TextWriter(std::ostream& out, const WriterOptions& options)
    : out_(out), options_(options) {
  line_.reserve(256);
}

void TextWriter::insn(const InsnEvent& e) {
  bool color = options_.color;
  std::string& l = line_;
  l.clear();
  paint_on(l, color, "2");
  append_dec(l, e.seq, 8);
  l += "  ";
  append_hex(l, e.pc, 8);
  l += "  ";
  append_hex_digits(l, e.word, 8);
  paint_off(l, color);
  l += "  ";
  l += e.disasm;
  if (!e.deltas.empty() || !e.memory.empty()) {
    if (e.disasm.size() < kDisasmWidth) l.append(kDisasmWidth - e.disasm.size(), ' ');
    paint_on(l, color, "36");
    for (const RegDelta& d : e.deltas) {
      l += ' ';
      l += reg_name(d.reg);
      l += '=';
      append_hex(l, d.old_value);
      l += "->";
      append_hex(l, d.new_value);
    }
    paint_off(l, color);
    paint_on(l, color, "33");
    for (const MemAccess& m : e.memory) {
      l += m.write ? " mw " : " mr ";
      append_hex(l, m.address);
      l += ':';
      append_dec(l, m.size);
      l += '=';
      append_hex(l, m.value);
    }
    paint_off(l, color);
  }
  l += '\n';
  out_.write(l.data(), static_cast<std::streamsize>(l.size()));
}

void TextWriter::call(const CallRecord& call) {
  for (const CallRecord& c : order_.add(call))
    write_call(c);
}

void TextWriter::write_call(const CallRecord& call) {
  out_ << format_call(call, TextStyle{options_.color});
  if (!options_.explain) return;
  std::string indent(static_cast<size_t>(call.depth) * 4, ' ');
  out_ << indent << "     regs  "
       << explain_registers(call, options_.smccc_major, options_.smccc_minor) << '\n';
  out_ << indent << "     why   " << explain_path(call) << '\n';
}

void TextWriter::boot(const BootEvent& e) {
  if (e.kind == BootKind::InitcallEnd || e.kind == BootKind::ProbeEnd) {
    boot_depth_ = std::max(0, boot_depth_ - 1);
  }
  std::string indent(static_cast<size_t>(boot_depth_) * 2, ' ');
  std::string ret = e.ret ? fmt::format(" returned {}", *e.ret) : "";
  switch (e.kind) {
    case BootKind::InitcallStart:
    case BootKind::InitcallEnd:
      out_ << fmt::format("[boot] {}{:<22} {}{}\n", indent, e.level, e.name, ret);
      break;
    case BootKind::ProbeStart:
    case BootKind::ProbeEnd:
      out_ << fmt::format("[boot] {}probe  {}{}\n", indent, e.name, ret);
      break;
    case BootKind::Defer:
      out_ << fmt::format("[boot] {}defer  {}: {}\n", indent, e.name, e.message);
      break;
    case BootKind::PkvmState:
      out_ << fmt::format("[boot] {}pkvm   {}{}{}\n", indent, e.name, e.message.empty() ? "" : ": ",
                          e.message);
      break;
    case BootKind::Log:
      out_ << fmt::format("[boot] {}log    {}\n", indent, e.message);
      break;
  }
  if (e.kind == BootKind::InitcallStart || e.kind == BootKind::ProbeStart) ++boot_depth_;
}

void TextWriter::finish() {
  for (const CallRecord& c : order_.drain())
    write_call(c);
  out_.flush();
}

}  // namespace ffaemu::trace
