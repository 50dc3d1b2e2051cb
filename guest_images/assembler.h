// In-process AArch64 assembly with LLVM MC (emulation-tech.md section 4): `.S` text in, the bytes
// of `.text` linked at a base address out, every problem reported as file:line:col.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ffaemu::guest {

struct Diagnostic {
  std::string file;
  int line = 0;      // 1-based
  int column = 0;    // 1-based
  std::string kind;  // "error", "warning" or "note"
  std::string message;
  std::string source_line;

  // "file:line:col: error: message", then the source line and a caret under the column.
  [[nodiscard]] std::string str() const;
};

class AssemblyError : public std::runtime_error {
 public:
  explicit AssemblyError(std::vector<Diagnostic> diagnostics);
  [[nodiscard]] const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  std::vector<Diagnostic> diagnostics_;
};

struct Symbol {
  std::string name;
  uint64_t address = 0;  // base + offset in .text
};

struct Image {
  std::string file;
  uint64_t base = 0;
  std::vector<uint8_t> bytes;  // .text, relocated for `base`
  std::vector<Symbol> symbols;

  // Address of a symbol; throws std::out_of_range naming the symbol when it is missing.
  [[nodiscard]] uint64_t symbol(std::string_view name) const;
  [[nodiscard]] bool has_symbol(std::string_view name) const;
};

// Assembles `source` (named `file` in diagnostics) linked at `base`. Throws AssemblyError with
// every diagnostic on failure, including relocations that cannot be resolved within the image.
Image assemble(std::string_view source, std::string_view file, uint64_t base = 0);

// Guests bundled from guest_images/*.S at build time, by file stem ("smccc_trampoline").
[[nodiscard]] std::vector<std::string_view> builtin_names();
[[nodiscard]] std::string_view builtin_source(std::string_view name);  // throws std::out_of_range
Image assemble_builtin(std::string_view name, uint64_t base);

}  // namespace ffaemu::guest
