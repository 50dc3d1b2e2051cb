#include <unistd.h>

#include <iostream>

#include "cli/app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return ffaemu::cli::ffaemu_main(args, std::cout, std::cerr, isatty(STDOUT_FILENO) != 0);
}
