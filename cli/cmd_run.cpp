// ffaemu run [SCENARIO.yaml] [system options] [--json]: with a scenario or any system option, boot
// that one system and print its timeline and outcome; with neither, the default scenario: every
// FF-A core variant booted under pKVM side by side, then the timeline of the default system.
#include <ostream>
#include <sstream>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/boot.h"
#include "cli/commands.h"
#include "cli/scenario.h"
#include "ffa_core/linux/errno.h"
#include "trace/call_json.h"
#include "trace/call_text.h"

namespace ffaemu::cli {
namespace {

std::string errno_text(std::optional<int> e) {
  if (!e) return "-";
  return fmt::format("{} ({})", *e, lnx::errno_name(*e));
}

std::string paint(const Io& io, const char* code, const std::string& text) {
  return io.color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
}

std::string call_line(const trace::CallRecord& c) {
  return fmt::format("#{} {} {} {} -> {}   [{}]", c.seq, ffa::level_name(c.from),
                     emu::conduit_name(c.conduit), trace::describe_args(c.in),
                     trace::describe_result(c.in, c.out), trace::path_text(c.path));
}

// Boot events that tell the story; probe bookkeeping stays in the JSON and trace formats.
std::optional<std::string> event_line(const lnx::BootEvent& e) {
  using K = lnx::BootEventKind;
  switch (e.kind) {
    case K::SetupArch:
      return fmt::format("setup_arch: {} = {}", e.subject, e.ret);
    case K::InitcallStart:
      return fmt::format("{}: {}", e.level, e.subject);
    case K::InitcallEnd:
      return fmt::format("{}: {} = {}", e.level, e.subject, e.ret);
    case K::ProbeEnd:
      return fmt::format("  probe {} ({}) = {}", e.subject, e.detail, e.ret);
    case K::DeferredAdd:
      return fmt::format("  deferred: {} added to the pending list", e.subject);
    case K::DeferredRetry:
      return fmt::format("  deferred: retrying {}", e.subject);
    case K::PkvmState:
      return fmt::format("  pKVM {}", e.detail);
    case K::FfaReady:
      return fmt::format("  FF-A core ready ({})", e.detail);
    case K::Log:
      return fmt::format("  [log] {}", e.detail);
    default:
      return std::nullopt;
  }
}

void print_outcome(const BootRun& run, const Io& io) {
  const lnx::BootResult& r = run.result;
  io.out << "outcome\n";
  io.out << fmt::format("  FF-A ready   {}\n",
                        r.ffa_ready ? paint(io, "32", fmt::format("yes, at {}", *r.ready_at))
                                    : paint(io, "31", "no"));
  io.out << fmt::format("  probe error  {}\n", errno_text(r.probe_error));
  io.out << fmt::format("  partitions   {}\n", r.partitions);
  io.out << fmt::format("  tpm          {}\n", lnx::tpm_state_name(r.tpm));
  io.out << fmt::format("  ima          {}\n", lnx::ima_state_name(r.ima));
  if (r.panic) io.out << fmt::format("  panic        {}\n", paint(io, "31", *r.panic));
}

void print_timeline(const BootRun& run, const Io& io) {
  io.out << "timeline\n";
  for (const TimelineItem& item : timeline(run)) {
    if (item.kind == TimelineItem::Kind::Call) {
      io.out << "    " << paint(io, "36", call_line(run.calls[item.index])) << "\n";
    } else if (auto line = event_line(run.events[item.index])) {
      io.out << "  " << *line << "\n";
    }
  }
}

std::string summary(const SystemOptions& options) {
  std::string s;
  for (const auto& [name, value] : options.values()) {
    s += fmt::format("{}{} {}", s.empty() ? "" : ", ", name, value);
  }
  return s;
}

int check_expectations(const Scenario& s, const BootRun& run, const Io& io) {
  if (s.expect.empty()) return kExitOk;
  std::string diff = outcome_mismatch(s.expect, outcome_json(run.result));
  if (diff.empty()) {
    io.out << fmt::format("{}: outcome as expected\n", s.file);
    return kExitOk;
  }
  io.err << fmt::format("{}: outcome differs: {}\n", s.file, diff);
  return kExitFailed;
}

// A scenario's raw calls, each checked against its expectation, on a booted firmware stack.
int run_calls(const SystemOptions& options, const Scenario& s, const RunArgs& args, Io io) {
  SystemWiring wiring;
  wiring.partitions = s.partitions;
  System system(options, wiring);
  system.install_and_finalize_pkvm();
  int status = kExitOk;
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const ScenarioCall& c : s.calls) {
    emu::SmcccRegs out = system.conduit().invoke(c.regs);
    std::string diff = mismatch(c.expect, c.regs, out);
    if (!diff.empty()) status = kExitFailed;
    if (args.json) {
      results.push_back({{"call", c.text},
                         {"line", c.pos.line},
                         {"pass", diff.empty()},
                         {"out", trace::regs_json(out)},
                         {"difference", diff}});
      continue;
    }
    io.out << fmt::format("{}:{}: {} -> {}{}\n", s.file, c.pos.line, c.text,
                          trace::describe_result(c.regs, out),
                          diff.empty() ? "" : paint(io, "31", "  MISMATCH: " + diff));
  }
  if (args.json) {
    io.out << nlohmann::ordered_json{{"system", system_json(options)},
                                     {"calls", trace::calls_json(system.recorder().records())},
                                     {"checks", results}}
                  .dump(2)
           << "\n";
  }
  return status;
}

std::optional<BootTracing> tracing(const RunArgs& args, const Io& io) {
  if (!args.trace) return std::nullopt;
  return BootTracing{*args.trace, &io.out, io.color};
}

int run_one(const SystemOptions& options, const Scenario* scenario, const RunArgs& args, Io io) {
  if (scenario && !scenario->calls.empty()) return run_calls(options, *scenario, args, io);
  SystemWiring wiring;
  if (scenario) wiring.partitions = scenario->partitions;
  auto trace = tracing(args, io);
  BootRun run = boot(options, wiring, trace ? &*trace : nullptr);
  if (args.json) {
    io.out << run_json(run).dump(2) << "\n";
  } else {
    io.out << fmt::format("ffaemu run: {}\n\n", summary(options));
    if (!args.summary) {
      print_timeline(run, io);
      io.out << "\n";
    }
    print_outcome(run, io);
  }
  return scenario ? check_expectations(*scenario, run, io) : kExitOk;
}

constexpr std::string_view kVariants[] = {"module-init", "rootfs-initcall", "rfc-root-device",
                                          "platform-driver-probe", "platform-driver"};

int run_default(const RunArgs& args, Io io) {
  std::vector<BootRun> runs;
  auto trace = tracing(args, io);
  for (std::string_view variant : kVariants) {
    SystemOptions o = args.system;
    (void)o.set("driver", variant);
    bool traced = trace && variant == args.system.get("driver");
    runs.push_back(boot(o, {}, traced ? &*trace : nullptr));
  }
  if (args.json) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const BootRun& r : runs)
      all.push_back(run_json(r));
    io.out << nlohmann::ordered_json{{"scenario", "default"}, {"runs", all}}.dump(2) << "\n";
    return kExitOk;
  }
  io.out << fmt::format(
      "ffaemu: the FF-A core driver under protected KVM, five variants side by side\n"
      "({})\n\n",
      summary(args.system));
  io.out << fmt::format("  {:<22} {:<5} {:<21} {:<14} {:<10} {:<8} {}\n", "driver", "ffa",
                        "ready at", "probe error", "partitions", "tpm", "ima");
  for (const BootRun& r : runs) {
    const lnx::BootResult& b = r.result;
    io.out << fmt::format("  {:<22} {:<5} {:<21} {:<14} {:<10} {:<8} {}\n", r.options.get("driver"),
                          b.ffa_ready ? "yes" : "no", b.ready_at.value_or("-"),
                          errno_text(b.probe_error), b.partitions, lnx::tpm_state_name(b.tpm),
                          lnx::ima_state_name(b.ima));
  }
  if (args.summary) return kExitOk;
  io.out << fmt::format("\nThe default system (driver {}), call by call:\n\n",
                        args.system.get("driver"));
  const BootRun& chosen = runs.back();
  print_timeline(chosen, io);
  io.out << "\n";
  print_outcome(chosen, io);
  return kExitOk;
}

}  // namespace

int run_command(const RunArgs& args, Io io) {
  if (args.trace) {
    try {
      (void)trace::parse_trace_level(args.trace->level);
      std::ostringstream probe;
      (void)trace::make_writer(args.trace->format, probe);
    } catch (const std::invalid_argument& e) {
      io.err << "ffaemu: " << e.what() << "\n";
      return kExitUsage;
    }
  }
  if (args.scenario) {
    Scenario s;
    try {
      s = load_scenario(*args.scenario);
    } catch (const InputError& e) {
      io.err << "ffaemu: " << e.what() << "\n";
      return kExitUsage;
    }
    // Options given on the command line win over the file's.
    SystemOptions options = s.system;
    for (const auto& [name, value] : args.system.values()) {
      if (args.system_given.count(name)) (void)options.set(name, value);
    }
    return run_one(options, &s, args, io);
  }
  if (!args.system_given.empty()) return run_one(args.system, nullptr, args, io);
  return run_default(args, io);
}

}  // namespace ffaemu::cli
