// Source positions and diagnostics for the MC front end: SMLocs become file:line:col, with text
// in macro and .rept expansions placed at the outermost call site in the source file.
#pragma once

#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SMLoc.h>
#include <llvm/Support/SourceMgr.h>

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest::detail {

// The note GuardedParser raises to learn where an expansion was instantiated; DiagnosticSink
// consumes it without recording it.
constexpr llvm::StringLiteral kProbeNote = "ffaemu: where is this expansion?";

// Turns SMLocs into file:line:col. Text in macro and .rept expansions (LLVM's "<instantiation>"
// buffers) maps to the outermost call site in the source file once that is known.
class SourceLocator {
 public:
  SourceLocator(const llvm::SourceMgr& sm, std::string file) : sm_(sm), file_(std::move(file)) {}

  // Like SourceMgr::FindBufferContainingLoc, but newest buffer first: that one scans every
  // buffer from the oldest, which is quadratic once macros have made thousands of them.
  [[nodiscard]] unsigned buffer_of(llvm::SMLoc loc) const;
  // The text of the buffer holding `loc`, which must lie in one.
  [[nodiscard]] llvm::StringRef buffer_text(llvm::SMLoc loc) const {
    return sm_.getMemoryBuffer(buffer_of(loc))->getBuffer();
  }
  [[nodiscard]] bool in_main(llvm::SMLoc loc) const {
    return buffer_of(loc) == sm_.getMainFileID();
  }
  [[nodiscard]] bool is_unmapped_expansion(unsigned buffer) const {
    return buffer != 0 && buffer != sm_.getMainFileID() && call_sites_.count(buffer) == 0;
  }
  void map_expansion(unsigned buffer, llvm::SMLoc call_site) {
    call_sites_.emplace(buffer, call_site);
  }

  // file/line/column/source_line of `loc`; line 0 when it cannot be placed in the source file.
  [[nodiscard]] Diagnostic position(llvm::SMLoc loc) const;

  // " (in macro expansion: `text`)" for a location inside an expansion, else "".
  [[nodiscard]] std::string expansion_context(llvm::SMLoc loc) const;

  // The first line that switches to `section` (".data", ".section .rodata", ...); for content
  // MC keeps no location for.
  [[nodiscard]] llvm::SMLoc find_section_directive(llvm::StringRef section) const;

  // The `.comm`/`.common` line that declares `symbol`.
  [[nodiscard]] llvm::SMLoc find_common_directive(llvm::StringRef symbol) const;

 private:
  [[nodiscard]] bool contains(unsigned buffer, llvm::SMLoc loc) const;

  // The location of the first source line whose directive and first operand satisfy `matches`.
  template <typename Predicate>
  [[nodiscard]] llvm::SMLoc find_line(Predicate matches) const;

  static llvm::StringRef without_label(llvm::StringRef line);
  [[nodiscard]] Diagnostic main_position(llvm::SMLoc loc) const;
  [[nodiscard]] llvm::StringRef line_text(llvm::SMLoc loc) const;

  const llvm::SourceMgr& sm_;
  std::string file_;
  std::unordered_map<unsigned, llvm::SMLoc> call_sites_;
};

// Collects SourceMgr and MCContext diagnostics. The "while in macro instantiation" notes after a
// diagnostic inside an expansion are folded into it: it moves to the outermost call site.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(SourceLocator& locator) : locator_(locator) {}

  void receive(const llvm::SMDiagnostic& d);

  // Records a diagnostic unless it repeats the previous one (MC reports some layout errors once
  // per relaxation pass) or kMaxDiagnostics are already recorded.
  void add(llvm::SMLoc loc, const std::string& kind, const std::string& message);

  std::vector<Diagnostic> take();

 private:
  void follow_chain(llvm::SMLoc call_site);
  void end_chain();
  static bool same(const Diagnostic& a, const Diagnostic& b);

  SourceLocator& locator_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<unsigned> chain_buffers_;
  std::optional<size_t> chain_diagnostic_;
};

}  // namespace ffaemu::guest::detail
