// ffaemu asm FILE.S -o FILE.bin [--base ADDR] [--listing]
#include <fstream>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "emu/disasm.h"
#include "guest_images/assembler.h"

namespace ffaemu::cli {

int asm_command(const AsmArgs& args, Io io) {
  std::ifstream in(args.input, std::ios::binary);
  if (!in) {
    io.err << fmt::format("ffaemu: cannot read '{}'\n", args.input);
    return kExitUsage;
  }
  std::stringstream source;
  source << in.rdbuf();
  guest::Image image;
  try {
    image = guest::assemble(source.str(), args.input, args.base);
  } catch (const guest::AssemblyError& e) {
    for (const guest::Diagnostic& d : e.diagnostics())
      io.err << d.str() << "\n";
    return kExitUsage;
  }
  std::ofstream out(args.output, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(image.bytes.data()),
            static_cast<std::streamsize>(image.bytes.size()));
  if (!out) {
    io.err << fmt::format("ffaemu: cannot write '{}'\n", args.output);
    return kExitUsage;
  }
  if (args.listing) {
    emu::Disassembler disasm;
    for (const emu::DecodedInsn& insn : disasm.decode_all(image.base, image.bytes)) {
      for (const guest::Symbol& s : image.symbols) {
        if (s.address == insn.address) io.out << fmt::format("{}:\n", s.name);
      }
      io.out << fmt::format("  {:#010x}:  {:08x}  {}\n", insn.address, insn.word, insn.text());
    }
  }
  return kExitOk;
}

}  // namespace ffaemu::cli
