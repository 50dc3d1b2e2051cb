// SourceLocator and DiagnosticSink (diagnostics.h): placing SMLocs in the source file, and
// collecting LLVM's diagnostics with expansions folded onto their call sites.
#include "guest_images/llvm/diagnostics.h"

#include <llvm/ADT/StringExtras.h>
#include <llvm/Support/MemoryBuffer.h>

#include <algorithm>

namespace ffaemu::guest::detail {
namespace {

constexpr size_t kMaxDiagnostics = 100;

constexpr llvm::StringLiteral kInstantiationNote = "while in macro instantiation";

const char* kind_name(llvm::SourceMgr::DiagKind kind) {
  switch (kind) {
    case llvm::SourceMgr::DK_Error:
      return "error";
    case llvm::SourceMgr::DK_Warning:
      return "warning";
    case llvm::SourceMgr::DK_Remark:
      return "remark";
    case llvm::SourceMgr::DK_Note:
      return "note";
  }
  return "error";
}

}  // namespace

unsigned SourceLocator::buffer_of(llvm::SMLoc loc) const {
  if (!loc.isValid()) return 0;
  if (contains(sm_.getMainFileID(), loc)) return sm_.getMainFileID();
  for (unsigned buffer = sm_.getNumBuffers(); buffer > 1; --buffer) {
    if (contains(buffer, loc)) return buffer;
  }
  return 0;
}

Diagnostic SourceLocator::position(llvm::SMLoc loc) const {
  const unsigned buffer = buffer_of(loc);
  if (buffer == sm_.getMainFileID()) return main_position(loc);
  if (auto it = call_sites_.find(buffer); it != call_sites_.end()) {
    return main_position(it->second);
  }
  Diagnostic unplaced;
  unplaced.file = file_;
  return unplaced;
}

std::string SourceLocator::expansion_context(llvm::SMLoc loc) const {
  const unsigned buffer = buffer_of(loc);
  if (buffer == 0 || buffer == sm_.getMainFileID()) return {};
  return " (in macro expansion: `" + line_text(loc).trim().str() + "`)";
}

template <typename Predicate>
llvm::SMLoc SourceLocator::find_line(Predicate matches) const {
  llvm::StringRef rest = sm_.getMemoryBuffer(sm_.getMainFileID())->getBuffer();
  while (!rest.empty()) {
    auto [line, next] = rest.split('\n');
    const llvm::StringRef statement = without_label(line.ltrim());
    const llvm::StringRef directive = statement.take_until(llvm::isSpace);
    const llvm::StringRef operand = statement.substr(directive.size())
                                        .ltrim()
                                        .take_until([](char c) { return c == ','; })
                                        .trim()
                                        .trim('"');
    if (matches(directive, operand)) return llvm::SMLoc::getFromPointer(directive.data());
    rest = next;
  }
  return {};
}

llvm::SMLoc SourceLocator::find_section_directive(llvm::StringRef section) const {
  return find_line([section](llvm::StringRef directive, llvm::StringRef operand) {
    return directive.equals_insensitive(section) ||
           (section == ".bss" && directive.equals_insensitive(".lcomm")) ||
           ((directive.equals_insensitive(".section") ||
             directive.equals_insensitive(".pushsection")) &&
            operand == section);
  });
}

llvm::SMLoc SourceLocator::find_common_directive(llvm::StringRef symbol) const {
  return find_line([symbol](llvm::StringRef directive, llvm::StringRef operand) {
    return (directive.equals_insensitive(".comm") || directive.equals_insensitive(".common")) &&
           operand == symbol;
  });
}

bool SourceLocator::contains(unsigned buffer, llvm::SMLoc loc) const {
  const llvm::MemoryBuffer* b = sm_.getMemoryBuffer(buffer);
  return loc.getPointer() >= b->getBufferStart() && loc.getPointer() <= b->getBufferEnd();
}

llvm::StringRef SourceLocator::without_label(llvm::StringRef line) {
  const size_t colon = line.find(':');
  if (colon == llvm::StringRef::npos ||
      line.substr(0, colon).find_first_of(" \t\"") != llvm::StringRef::npos) {
    return line;
  }
  return line.substr(colon + 1).ltrim();
}

Diagnostic SourceLocator::main_position(llvm::SMLoc loc) const {
  const auto [line, column] = sm_.getLineAndColumn(loc, sm_.getMainFileID());
  Diagnostic d;
  d.file = file_;
  d.line = static_cast<int>(line);
  d.column = static_cast<int>(column);
  d.source_line = line_text(loc).str();
  return d;
}

llvm::StringRef SourceLocator::line_text(llvm::SMLoc loc) const {
  const llvm::StringRef text = buffer_text(loc);
  const size_t at = static_cast<size_t>(loc.getPointer() - text.data());
  const size_t newline_before = text.substr(0, at).rfind('\n');
  const size_t begin = newline_before == llvm::StringRef::npos ? 0 : newline_before + 1;
  const size_t end = std::min(text.find('\n', at), text.size());
  return text.slice(begin, end).rtrim('\r');
}

void DiagnosticSink::receive(const llvm::SMDiagnostic& d) {
  if (d.getKind() == llvm::SourceMgr::DK_Note && d.getMessage() == kInstantiationNote) {
    follow_chain(d.getLoc());
    return;
  }
  end_chain();
  const bool probe = d.getKind() == llvm::SourceMgr::DK_Note && d.getMessage() == kProbeNote;
  const size_t recorded = diagnostics_.size();
  if (!probe) add(d.getLoc(), kind_name(d.getKind()), d.getMessage().str());
  const unsigned buffer = locator_.buffer_of(d.getLoc());
  if (locator_.is_unmapped_expansion(buffer)) {
    chain_buffers_.push_back(buffer);
    if (diagnostics_.size() > recorded) chain_diagnostic_ = recorded;
  }
}

void DiagnosticSink::add(llvm::SMLoc loc, const std::string& kind, const std::string& message) {
  Diagnostic d = locator_.position(loc);
  d.kind = kind;
  d.message = message + locator_.expansion_context(loc);
  if (!diagnostics_.empty() && same(diagnostics_.back(), d)) return;
  if (diagnostics_.size() < kMaxDiagnostics) diagnostics_.push_back(std::move(d));
}

std::vector<Diagnostic> DiagnosticSink::take() {
  if (diagnostics_.size() == kMaxDiagnostics) {
    Diagnostic limit = locator_.position({});
    limit.kind = "note";
    limit.message = "only the first " + std::to_string(kMaxDiagnostics) + " diagnostics are kept";
    diagnostics_.push_back(std::move(limit));
  }
  return std::move(diagnostics_);
}

void DiagnosticSink::follow_chain(llvm::SMLoc call_site) {
  if (chain_buffers_.empty()) return;
  if (!locator_.in_main(call_site)) {
    chain_buffers_.push_back(locator_.buffer_of(call_site));
    return;
  }
  for (unsigned buffer : chain_buffers_)
    locator_.map_expansion(buffer, call_site);
  if (chain_diagnostic_) {
    Diagnostic& d = diagnostics_[*chain_diagnostic_];
    Diagnostic placed = locator_.position(call_site);
    placed.kind = std::move(d.kind);
    placed.message = std::move(d.message);
    d = std::move(placed);
  }
  end_chain();
}

void DiagnosticSink::end_chain() {
  chain_buffers_.clear();
  chain_diagnostic_.reset();
}

bool DiagnosticSink::same(const Diagnostic& a, const Diagnostic& b) {
  return a.line == b.line && a.column == b.column && a.kind == b.kind && a.message == b.message;
}

}  // namespace ffaemu::guest::detail
