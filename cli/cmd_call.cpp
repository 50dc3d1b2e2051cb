// ffaemu call [system options] [--json] CALL...: raw calls from EL1 through the guest conduit
// against a booted firmware stack (pKVM installed and finalised when on); state carries over.
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "cli/boot.h"
#include "cli/call_parser.h"
#include "cli/commands.h"
#include "cli/system.h"
#include "cli/trace_session.h"
#include "trace/call_json.h"
#include "trace/text_writer.h"

namespace ffaemu::cli {

int call_command(const CallArgs& args, Io io) {
  std::vector<emu::SmcccRegs> calls;
  for (const std::string& text : args.calls) {
    auto parsed = parse_call(text);
    if (auto* e = std::get_if<CallParseError>(&parsed)) {
      io.err << "ffaemu: " << e->message << "\n";
      return kExitUsage;
    }
    calls.push_back(std::get<emu::SmcccRegs>(parsed));
  }
  System system(args.system);
  std::optional<TraceSession> session;
  if (args.trace) {
    try {
      session.emplace(*args.trace, system, io.out, io.color);
    } catch (const std::exception& e) {
      io.err << "ffaemu: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  system.install_and_finalize_pkvm();
  int status = kExitOk;
  std::string failure;
  for (const emu::SmcccRegs& in : calls) {
    try {
      system.conduit().invoke(in);
    } catch (const emu::ConduitError& e) {
      failure = e.what();
      status = kExitFailed;
      break;
    }
  }
  if (session) session->finish();
  const auto& records = system.recorder().records();
  if (args.json) {
    io.out << nlohmann::ordered_json{{"system", system_json(args.system)},
                                     {"calls", trace::calls_json(records)}}
                  .dump(2)
           << "\n";
  } else if (!(args.trace && args.trace->file == "-")) {
    // A trace written to standard output already lists every call.
    for (const trace::CallRecord& r : records)
      io.out << trace::format_call(r, {io.color}) << "\n";
  }
  if (!failure.empty()) io.err << "ffaemu: " << failure << "\n";
  return status;
}

}  // namespace ffaemu::cli
