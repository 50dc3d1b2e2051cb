// ffaemu explain ID|NAME [--json]
#include <ostream>

#include "cli/app.h"
#include "cli/commands.h"
#include "trace/explain.h"

namespace ffaemu::cli {

int explain_command(const ExplainArgs& args, Io io) {
  auto id = trace::parse_function(args.function);
  if (!id) {
    io.err << "ffaemu: '" << args.function
           << "' is neither a known call name nor a 32-bit function ID\n";
    return kExitUsage;
  }
  if (args.json) {
    io.out << trace::explain_json(*id).dump(2) << "\n";
  } else {
    io.out << trace::explain_text(*id);
  }
  return kExitOk;
}

}  // namespace ffaemu::cli
