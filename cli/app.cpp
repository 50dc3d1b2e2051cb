#include "cli/app.h"

#include <CLI/CLI.hpp>

#include <map>
#include <ostream>

#include "cli/commands.h"
#include "trace/async_file.h"

namespace ffaemu::cli {
namespace {

// Adds --conduit, --pkvm, ... to `cmd`; the values are checked by SystemOptions::set so errors
// name the valid set and the nearest match.
void add_system_options(CLI::App* cmd, std::map<std::string, std::string>& raw) {
  for (const OptionSpec& spec : option_specs()) {
    std::string name(spec.name);
    std::string help = fmt::format("{} (default {})", spec.help, spec.default_value);
    cmd->add_option("--" + name, raw[name], help)->type_name("VALUE");
  }
}

// Applies the options the user gave; false (with the message on err) on a bad value.
bool apply(const std::map<std::string, std::string>& raw, SystemOptions& system,
           std::ostream& err) {
  for (const auto& [name, value] : raw) {
    if (value.empty()) continue;
    if (auto problem = system.set(name, value)) {
      err << "ffaemu: " << *problem << "\n";
      return false;
    }
  }
  return true;
}

// --trace FILE --trace-format F --trace-level L --explain on `cmd`.
struct TraceFlags {
  std::string file, format = "text", level = "call";
  bool explain = false;
  void add(CLI::App* cmd, bool file_option) {
    if (file_option) cmd->add_option("--trace", file, "Write a trace to FILE (- for stdout)");
    cmd->add_option("--trace-format", format, "text, jsonl, chrome, tenet or drcov");
    cmd->add_option("--trace-level", level, "call (default) or insn");
    cmd->add_flag("--explain", explain, "text: add the SMCCC teaching lines to each call");
  }
  [[nodiscard]] TraceArgs args() const {
    return TraceArgs{file.empty() ? std::nullopt : std::optional(file), format, level, explain};
  }
};

}  // namespace

int ffaemu_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                bool color) {
  CLI::App app{"ffaemu: an AArch64 SMC/HVC emulator for the Arm FF-A firmware interfaces"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ffaemu 0.1.0");
  Io io{out, err, color};

  RunArgs run;
  std::map<std::string, std::string> run_raw;
  std::string scenario;
  CLI::App* run_cmd = app.add_subcommand("run", "Boot a system and print the outcome");
  run_cmd->add_option("scenario", scenario, "Scenario file (YAML)");
  run_cmd->add_flag("--json", run.json, "Print JSON (docs/json.md)");
  run_cmd->add_flag("--summary", run.summary, "Print the outcome only, without the timeline");
  add_system_options(run_cmd, run_raw);
  TraceFlags run_trace;
  run_trace.add(run_cmd, true);

  CallArgs call;
  std::map<std::string, std::string> call_raw;
  CLI::App* call_cmd =
      app.add_subcommand("call", "Issue raw calls from EL1 against the firmware stack");
  call_cmd->add_option("calls", call.calls, "NAME[:ARG,ARG,...] (args to x1, x2, ...)")->required();
  call_cmd->add_flag("--json", call.json, "Print JSON (docs/json.md)");
  add_system_options(call_cmd, call_raw);
  TraceFlags call_trace;
  call_trace.add(call_cmd, true);

  TraceCmdArgs traced;
  std::map<std::string, std::string> trace_raw;
  std::string entry;
  TraceFlags trace_flags;
  trace_flags.level = "insn";
  CLI::App* trace_cmd = app.add_subcommand(
      "trace", "Assemble a guest, run it against the firmware stack and trace it");
  trace_cmd->add_option("file", traced.input, "Assembly source (.S)")->required();
  trace_cmd->add_option("--entry", entry, "Symbol to start at (default _start, else the base)");
  trace_cmd->add_option("-o,--output", trace_flags.file, "Write the trace to FILE");
  trace_flags.add(trace_cmd, false);
  add_system_options(trace_cmd, trace_raw);

  MatrixArgs matrix;
  std::string matrix_file, shard, junit;
  CLI::App* matrix_cmd =
      app.add_subcommand("matrix", "Run every combination of a matrix file and check outcomes");
  matrix_cmd->add_option("file", matrix_file, "Matrix file (default: scenarios/matrix.yaml)");
  matrix_cmd->add_option("--jobs", matrix.jobs, "Parallel boots (default 1)");
  matrix_cmd->add_option("--shard", shard, "Run only shard I of N (I/N, 1-based)");
  matrix_cmd->add_option("--junit", junit, "Write a JUnit XML report");
  matrix_cmd->add_flag("--json", matrix.json, "Print JSON Lines, one object per combination");
  std::map<std::string, std::string> matrix_raw;
  add_system_options(matrix_cmd, matrix_raw);

  ExplainArgs explain;
  CLI::App* explain_cmd = app.add_subcommand("explain", "Decode a function ID or call name");
  explain_cmd->add_option("function", explain.function, "ID (0x84000063) or name (FFA_VERSION)")
      ->required();
  explain_cmd->add_flag("--json", explain.json, "Print JSON");

  AsmArgs as;
  std::string base = "0";
  CLI::App* asm_cmd = app.add_subcommand("asm", "Assemble a guest to raw .text bytes");
  asm_cmd->add_option("file", as.input, "Assembly source (.S)")->required();
  asm_cmd->add_option("-o,--output", as.output, "Output file for the raw bytes")->required();
  asm_cmd->add_option("--base", base, "Link address (default 0)");
  asm_cmd->add_flag("--listing", as.listing, "Print address, bytes and disassembly");

  std::vector<const char*> argv{"ffaemu"};
  for (const std::string& a : args)
    argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    out << app.help();  // CLI11 delegates to the subcommand that asked
    return kExitOk;
  } catch (const CLI::CallForVersion&) {
    out << "ffaemu 0.1.0\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    err << "ffaemu: " << e.what() << "\n";
    return kExitUsage;
  }

  auto dispatch = [&]() -> int {
    if (run_cmd->parsed()) {
      if (!scenario.empty()) run.scenario = scenario;
      if (!apply(run_raw, run.system, err)) return kExitUsage;
      for (const auto& [name, value] : run_raw) {
        if (!value.empty()) run.system_given.insert(name);
      }
      if (!run_trace.file.empty()) run.trace = run_trace.args();
      return run_command(run, io);
    }
    if (call_cmd->parsed()) {
      if (!apply(call_raw, call.system, err)) return kExitUsage;
      if (!call_trace.file.empty()) call.trace = call_trace.args();
      return call_command(call, io);
    }
    if (trace_cmd->parsed()) {
      if (!apply(trace_raw, traced.system, err)) return kExitUsage;
      if (!entry.empty()) traced.entry = entry;
      traced.trace = trace_flags.args();
      return trace_command(traced, io);
    }
    if (explain_cmd->parsed()) return explain_command(explain, io);
    if (matrix_cmd->parsed()) {
      if (!matrix_file.empty()) matrix.file = matrix_file;
      if (!shard.empty()) matrix.shard = shard;
      if (!junit.empty()) matrix.junit = junit;
      SystemOptions probe;
      if (!apply(matrix_raw, probe, err)) return kExitUsage;
      for (const auto& [name, value] : matrix_raw) {
        if (!value.empty()) matrix.fixed[name] = value;
      }
      return matrix_command(matrix, io);
    }
    try {
      size_t used = 0;
      as.base = std::stoull(base, &used, 0);
      if (used != base.size()) throw std::invalid_argument(base);
    } catch (const std::exception&) {
      err << "ffaemu: bad --base '" << base << "': expected a number (hex with 0x)\n";
      return kExitUsage;
    }
    return asm_command(as, io);
  };
  // A model or engine exception is an ffaemu bug, never the user's: say so, never abort.
  try {
    return dispatch();
  } catch (const trace::TraceFileError& e) {
    err << "ffaemu: " << e.what() << "\n";
    return e.opening() ? kExitUsage : kExitFailed;
  } catch (const std::exception& e) {
    err << "ffaemu: internal error: " << e.what() << "\n";
    return kExitFailed;
  }
}

}  // namespace ffaemu::cli
