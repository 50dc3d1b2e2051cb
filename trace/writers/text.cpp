#include "trace/writers/text.h"

#include <algorithm>

#include <fmt/format.h>

#include "trace/call_explain.h"
#include "trace/text_writer.h"
#include "trace/writers/append.h"
#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {
namespace {

constexpr size_t kDisasmWidth = 28;

// Spaces after the disassembly up to the deltas' column.
size_t padding(const InsnEvent& e) {
  return e.disasm.size() < kDisasmWidth ? kDisasmWidth - e.disasm.size() : 0;
}

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
  paint_on(seq_colour_, options_.color, "2");
  paint_on(delta_colour_, options_.color, "36");
  paint_on(memory_colour_, options_.color, "33");
  paint_off(colour_off_, options_.color);
}

// `  0x40000000  f1000400<off>  subs x0, x0, #1`, then spaces to the deltas' column: what follows
// the sequence number. A line without deltas ends before the spaces.
std::string TextWriter::site_text(const InsnEvent& e) const {
  std::string l = "  ";
  append_hex(l, e.pc, 8);
  l += "  ";
  append_hex_digits(l, e.word, 8);
  l += colour_off_;
  l += "  ";
  l += e.disasm;
  l.append(padding(e), ' ');
  return l;
}

void TextWriter::insn(const InsnEvent& e) {
  std::string_view site = sites_.get(e, [this](const InsnEvent& ev) { return site_text(ev); });
  size_t colours =
      seq_colour_.size() + delta_colour_.size() + memory_colour_.size() + 2 * colour_off_.size();
  char* p = out_.reserve(32 + colours + SiteText::room(site) + 48 * e.deltas.size() +
                         64 * e.memory.size());
  p = OutBuffer::put(p, seq_colour_);
  p = seq_.put(p, e.seq);
  p = SiteText::put(p, site);
  if (e.deltas.empty() && e.memory.empty()) {
    p -= padding(e);
  } else {
    p = OutBuffer::put(p, delta_colour_);
    for (const RegDelta& d : e.deltas) {
      *p++ = ' ';
      p = OutBuffer::put(p, reg_name(d.reg));
      *p++ = '=';
      p = hex_.put_hex(p, d.old_value);
      p = OutBuffer::put(p, "->");
      p = hex_.put_hex(p, d.new_value);
    }
    p = OutBuffer::put(p, colour_off_);
    p = OutBuffer::put(p, memory_colour_);
    for (const MemAccess& m : e.memory) {
      p = OutBuffer::put(p, m.write ? " mw " : " mr ");
      p = hex_.put_hex(p, m.address);
      *p++ = ':';
      p = OutBuffer::put_dec(p, m.size);
      *p++ = '=';
      p = hex_.put_hex(p, m.value);
    }
    p = OutBuffer::put(p, colour_off_);
  }
  *p++ = '\n';
  out_.commit(p);
}

void TextWriter::call(const CallRecord& call) {
  for (const CallRecord& c : order_.add(call))
    write_call(c);
}

void TextWriter::write_call(const CallRecord& call) {
  out_.put(format_call(call, TextStyle{options_.color}));
  if (!options_.explain) return;
  std::string indent(static_cast<size_t>(call.depth) * 4, ' ');
  out_.put(fmt::format("{}     regs  {}\n", indent,
                       explain_registers(call, options_.smccc_major, options_.smccc_minor)));
  out_.put(fmt::format("{}     why   {}\n", indent, explain_path(call)));
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
      out_.put(fmt::format("[boot] {}{:<22} {}{}\n", indent, e.level, e.name, ret));
      break;
    case BootKind::ProbeStart:
    case BootKind::ProbeEnd:
      out_.put(fmt::format("[boot] {}probe  {}{}\n", indent, e.name, ret));
      break;
    case BootKind::Defer:
      out_.put(fmt::format("[boot] {}defer  {}: {}\n", indent, e.name, e.message));
      break;
    case BootKind::PkvmState:
      out_.put(fmt::format("[boot] {}pkvm   {}{}{}\n", indent, e.name,
                           e.message.empty() ? "" : ": ", e.message));
      break;
    case BootKind::Log:
      out_.put(fmt::format("[boot] {}log    {}\n", indent, e.message));
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
