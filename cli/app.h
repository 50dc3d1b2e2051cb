// The `ffaemu` command line: subcommands run, call, asm (and more as they land). Exit status 0 on
// success, 1 when a check or the guest failed, 2 on bad usage or input.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace ffaemu::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;

// args excludes the program name. Output goes to `out`, diagnostics to `err`; `color` enables
// ANSI colour in text output (main() passes isatty(stdout)).
int ffaemu_main(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
                bool color = false);

}  // namespace ffaemu::cli
