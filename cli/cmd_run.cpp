// ffaemu run: until the Linux boot model lands, the default run boots the firmware stack (pKVM
// installed and finalised when `pkvm on`) and runs the bundled hello_ffa guest, which issues
// SMCCC_VERSION and FFA_VERSION through smc; every trap is printed decoded.
#include <ostream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/app.h"
#include "cli/commands.h"
#include "cli/system.h"
#include "trace/call_json.h"
#include "trace/text_writer.h"

namespace ffaemu::cli {
namespace {

nlohmann::json system_json(const SystemOptions& options) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : options.values())
    out[name] = value;
  return out;
}

std::string summary(const SystemOptions& options) {
  std::string s;
  for (const auto& [name, value] : options.values()) {
    s += fmt::format("{}{} {}", s.empty() ? "" : ", ", name, value);
  }
  return s;
}

}  // namespace

int run_command(const RunArgs& args, Io io) {
  if (args.scenario) {
    io.err << fmt::format("ffaemu: {}: scenario files are not supported yet\n", *args.scenario);
    return kExitUsage;
  }
  System system(args.system);
  system.install_and_finalize_pkvm();
  guest::Image guest = guest::assemble_builtin("hello_ffa", kGuestBase);
  emu::RunResult result = system.run_guest(guest, guest.symbol("_start"));

  if (args.json) {
    nlohmann::json calls = nlohmann::json::array();
    for (const trace::CallRecord& r : system.recorder().records()) {
      calls.push_back(trace::call_json(r));
    }
    nlohmann::json doc = {{"system", system_json(args.system)}, {"calls", calls}};
    doc["guest"] = {{"exited", result.exited()},
                    {"fault", result.fault ? nlohmann::json(result.fault->message()) : nullptr}};
    io.out << doc.dump(2) << "\n";
  } else {
    io.out << fmt::format("ffaemu run: guest hello_ffa at {:#x} ({})\n\n", guest.base,
                          summary(args.system));
    for (const trace::CallRecord& r : system.recorder().records()) {
      io.out << trace::format_call(r, {io.color}) << "\n";
    }
    if (result.exited()) {
      io.out << fmt::format("guest returned after {} calls\n", result.traps);
    } else {
      io.out << fmt::format("guest failed: {}\n", result.fault ? result.fault->message() : "");
    }
  }
  return result.exited() ? kExitOk : kExitFailed;
}

}  // namespace ffaemu::cli
