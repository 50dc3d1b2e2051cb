// ffaemu trace FILE.S [--entry SYMBOL] [-o FILE] [--trace-format F] [--trace-level L]: assemble
// a guest, link it above the trampoline, run it at EL1 with the firmware stack (pKVM installed and
// finalised when on) behind it, and trace it, instruction by instruction by default.
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/system.h"
#include "cli/trace_session.h"

namespace ffaemu::cli {
namespace {

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

int trace_command(const TraceCmdArgs& args, Io io) {
  auto source = read_text(args.input);
  if (!source) {
    io.err << fmt::format("ffaemu: cannot read '{}'\n", args.input);
    return kExitUsage;
  }
  guest::Image image;
  try {
    image = guest::assemble(*source, args.input, kGuestBase);
  } catch (const guest::AssemblyError& e) {
    for (const guest::Diagnostic& d : e.diagnostics())
      io.err << d.str() << "\n";
    return kExitUsage;
  }
  uint64_t entry = image.base;
  if (args.entry) {
    if (!image.has_symbol(*args.entry)) {
      io.err << fmt::format("ffaemu: {}: no symbol '{}' to start at\n", args.input, *args.entry);
      return kExitUsage;
    }
    entry = image.symbol(*args.entry);
  } else if (image.has_symbol("_start")) {
    entry = image.symbol("_start");
  }
  System system(args.system);
  // drcov tools match the module by file name: the bytes `ffaemu asm` writes for this source.
  trace::DrcovModule module{image.base, image.base + image.bytes.size(), entry,
                            std::filesystem::path(args.input).replace_extension(".bin").string()};
  std::optional<TraceSession> session;
  try {
    session.emplace(args.trace, system, io.out, io.color, module);
  } catch (const std::exception& e) {
    io.err << "ffaemu: " << e.what() << "\n";
    return kExitUsage;
  }
  system.install_and_finalize_pkvm();
  emu::RunResult result = system.run_guest(image, entry);
  session->finish();
  if (!result.exited()) {
    io.err << fmt::format("ffaemu: {}: guest {}\n", args.input,
                          result.fault ? result.fault->message() : "stopped before returning");
    return kExitFailed;
  }
  return kExitOk;
}

}  // namespace ffaemu::cli
