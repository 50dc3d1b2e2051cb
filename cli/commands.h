// One function per subcommand; app.cpp parses, these do the work.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "cli/options.h"
#include "cli/trace_session.h"

namespace ffaemu::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool color = false;
};

struct RunArgs {
  std::optional<std::string> scenario;
  SystemOptions system;
  std::set<std::string> system_given;  // options named on the command line
  bool json = false;
  bool summary = false;  // outcome only, no timeline
  std::optional<TraceArgs> trace;
};
int run_command(const RunArgs& args, Io io);

struct CallArgs {
  SystemOptions system;
  std::vector<std::string> calls;
  bool json = false;
  std::optional<TraceArgs> trace;
};
int call_command(const CallArgs& args, Io io);

struct MatrixArgs {
  std::optional<std::string> file;  // default: scenarios/matrix.yaml, built in
  int jobs = 1;
  std::optional<std::string> shard;  // "I/N", 1-based
  std::optional<std::string> junit;
  bool json = false;
  // System options from the command line: they fix that option for every combination, and an
  // axis over it keeps only the given value.
  std::map<std::string, std::string> fixed;
};
int matrix_command(const MatrixArgs& args, Io io);

// scenarios/matrix.yaml as it was at build time, and the name errors in it are reported under.
inline constexpr const char* kDefaultMatrixName = "scenarios/matrix.yaml";
[[nodiscard]] std::string_view default_matrix_text();

struct ExplainArgs {
  std::string function;
  bool json = false;
};
int explain_command(const ExplainArgs& args, Io io);

struct TraceCmdArgs {
  std::string input;
  std::optional<std::string> entry;
  SystemOptions system;
  TraceArgs trace{std::nullopt, "text", "insn", false};
};
int trace_command(const TraceCmdArgs& args, Io io);

struct AsmArgs {
  std::string input;
  std::string output;
  uint64_t base = 0;
  bool listing = false;
};
int asm_command(const AsmArgs& args, Io io);

}  // namespace ffaemu::cli
