// The readable text form of calls: aligned, colour only when asked (the CLI asks on a terminal).
#pragma once

#include <string>

#include "trace/call_recorder.h"

namespace ffaemu::trace {

struct TextStyle {
  bool color = false;
};

// Several lines: the decoded call, its arguments, the result and the exception-level path.
[[nodiscard]] std::string format_call(const CallRecord& call, TextStyle style = {});

}  // namespace ffaemu::trace
