// The guests bundled from guest_images/*.S: CMake embeds each file's text at build time
// (embed_sources.cmake writes builtin_sources.inc), so no file is read at run time.
#include <algorithm>
#include <string>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest {
namespace {

struct BuiltinSource {
  std::string_view name;  // file stem
  std::string_view text;
};

const std::vector<BuiltinSource>& builtins() {
  static const std::vector<BuiltinSource> table = {
#include "builtin_sources.inc"
  };
  return table;
}

std::string known_names() {
  std::string names;
  for (const BuiltinSource& builtin : builtins()) {
    names += names.empty() ? "" : ", ";
    names += builtin.name;
  }
  return names;
}

}  // namespace

std::vector<std::string_view> builtin_names() {
  std::vector<std::string_view> names;
  for (const BuiltinSource& builtin : builtins())
    names.push_back(builtin.name);
  return names;
}

std::string_view builtin_source(std::string_view name) {
  const auto& table = builtins();
  const auto it = std::find_if(table.begin(), table.end(),
                               [name](const BuiltinSource& b) { return b.name == name; });
  if (it == table.end()) {
    throw std::out_of_range("no built-in guest '" + std::string(name) +
                            "'; the built-ins are: " + known_names());
  }
  return it->text;
}

Image assemble_builtin(std::string_view name, uint64_t base) {
  const std::string_view source = builtin_source(name);
  return assemble(source, "guest_images/" + std::string(name) + ".S", base);
}

}  // namespace ffaemu::guest
