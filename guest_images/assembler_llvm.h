// The LLVM MC front end (guest_images/llvm/) behind an LLVM-free interface: one assembled object
// as plain data, which assembler.cpp links. Keeps the slow-to-compile MC headers out of the rest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest::detail {

// Where the symbol a relocation refers to is defined.
enum class TargetPlace { text, absolute, undefined, elsewhere };

struct Relocation {
  uint64_t offset = 0;  // P, as an offset in .text
  uint32_t type = 0;    // R_AARCH64_*
  std::string type_name;
  std::string symbol;  // as the source names it
  TargetPlace place = TargetPlace::undefined;
  std::string section;  // where the symbol is defined, for TargetPlace::elsewhere
  uint64_t value = 0;   // S: an offset in .text, or the absolute value
  int64_t addend = 0;   // A
  Diagnostic use;       // where the source refers to the symbol; kind and message unset
};

struct ObjectCode {
  std::vector<uint8_t> text;
  uint64_t text_alignment = 1;
  std::vector<Symbol> symbols;          // defined in .text; address is the offset in .text
  std::vector<Relocation> relocations;  // against .text
  std::vector<Diagnostic> diagnostics;  // errors leave the other fields incomplete

  [[nodiscard]] bool has_errors() const;
};

// Assembles `source` (named `file` in diagnostics) into an unlinked object.
ObjectCode assemble_object(std::string_view source, std::string_view file);

}  // namespace ffaemu::guest::detail
