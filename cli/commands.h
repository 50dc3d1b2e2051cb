// One function per subcommand; app.cpp parses, these do the work.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"

namespace ffaemu::cli {

struct Io {
  std::ostream& out;
  std::ostream& err;
  bool color = false;
};

struct RunArgs {
  std::optional<std::string> scenario;
  SystemOptions system;
  bool json = false;
};
int run_command(const RunArgs& args, Io io);

struct CallArgs {
  SystemOptions system;
  std::vector<std::string> calls;
  bool json = false;
};
int call_command(const CallArgs& args, Io io);

struct ExplainArgs {
  std::string function;
  bool json = false;
};
int explain_command(const ExplainArgs& args, Io io);

struct AsmArgs {
  std::string input;
  std::string output;
  uint64_t base = 0;
  bool listing = false;
};
int asm_command(const AsmArgs& args, Io io);

}  // namespace ffaemu::cli
