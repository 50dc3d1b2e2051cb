// LLVM 14 MC front end (emulation-tech.md section 4): assembles AArch64 text in-process into an
// ELF object and reads back .text, its symbols and its relocations with their source positions.
// Also guards against input that would read files or make LLVM expand without bound.
#include "guest_images/assembler_llvm.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/MC/MCAsmBackend.h>
#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCAsmLayout.h>
#include <llvm/MC/MCAssembler.h>
#include <llvm/MC/MCCodeEmitter.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCExpr.h>
#include <llvm/MC/MCFixup.h>
#include <llvm/MC/MCFragment.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCObjectFileInfo.h>
#include <llvm/MC/MCObjectWriter.h>
#include <llvm/MC/MCParser/AsmLexer.h>
#include <llvm/MC/MCParser/MCAsmParser.h>
#include <llvm/MC/MCParser/MCTargetAsmParser.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSection.h>
#include <llvm/MC/MCStreamer.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCSymbol.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/MCValue.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <unordered_map>

extern "C" {
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmParser();
}

namespace ffaemu::guest::detail {
namespace {

constexpr const char* kTriple = "aarch64-none-elf";
constexpr const char* kCpu = "generic";
constexpr const char* kFeatures = "+v8.4a";  // system registers such as scr_el3 and the SEL2 names

constexpr uint64_t kMaxImageBytes = uint64_t{16} << 20;     // all sections together
constexpr uint64_t kMaxExpansionBytes = uint64_t{1} << 20;  // macro and .rept text LLVM generates
constexpr uint64_t kExpansionOverheadBytes = 1024;          // charged per expansion buffer
constexpr size_t kMaxDiagnostics = 100;

constexpr llvm::StringLiteral kProbeNote = "ffaemu: where is this expansion?";
constexpr llvm::StringLiteral kInstantiationNote = "while in macro instantiation";

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  return b != 0 && a > std::numeric_limits<uint64_t>::max() / b
             ? std::numeric_limits<uint64_t>::max()
             : a * b;
}

std::string byte_count(uint64_t bytes) {
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

template <typename T>
T value_or(llvm::Expected<T> expected, T fallback) {
  if (expected) return std::move(*expected);
  llvm::consumeError(expected.takeError());
  return fallback;
}

// Turns SMLocs into file:line:col. Text in macro and .rept expansions (LLVM's "<instantiation>"
// buffers) maps to the outermost call site in the source file once that is known.
class SourceLocator {
 public:
  SourceLocator(const llvm::SourceMgr& sm, std::string file) : sm_(sm), file_(std::move(file)) {}

  // Like SourceMgr::FindBufferContainingLoc, but newest buffer first: that one scans every
  // buffer from the oldest, which is quadratic once macros have made thousands of them.
  [[nodiscard]] unsigned buffer_of(llvm::SMLoc loc) const {
    if (!loc.isValid()) return 0;
    if (contains(sm_.getMainFileID(), loc)) return sm_.getMainFileID();
    for (unsigned buffer = sm_.getNumBuffers(); buffer > 1; --buffer) {
      if (contains(buffer, loc)) return buffer;
    }
    return 0;
  }
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
  [[nodiscard]] Diagnostic position(llvm::SMLoc loc) const {
    const unsigned buffer = buffer_of(loc);
    if (buffer == sm_.getMainFileID()) return main_position(loc);
    if (auto it = call_sites_.find(buffer); it != call_sites_.end()) {
      return main_position(it->second);
    }
    Diagnostic unplaced;
    unplaced.file = file_;
    return unplaced;
  }

  // " (in macro expansion: `text`)" for a location inside an expansion, else "".
  [[nodiscard]] std::string expansion_context(llvm::SMLoc loc) const {
    const unsigned buffer = buffer_of(loc);
    if (buffer == 0 || buffer == sm_.getMainFileID()) return {};
    return " (in macro expansion: `" + line_text(loc).trim().str() + "`)";
  }

  // The first line that switches to `section` (".data", ".section .rodata", ...); for content
  // MC keeps no location for.
  [[nodiscard]] llvm::SMLoc find_section_directive(llvm::StringRef section) const {
    return find_line([section](llvm::StringRef directive, llvm::StringRef operand) {
      return directive.equals_insensitive(section) ||
             (section == ".bss" && directive.equals_insensitive(".lcomm")) ||
             ((directive.equals_insensitive(".section") ||
               directive.equals_insensitive(".pushsection")) &&
              operand == section);
    });
  }

  // The `.comm`/`.common` line that declares `symbol`.
  [[nodiscard]] llvm::SMLoc find_common_directive(llvm::StringRef symbol) const {
    return find_line([symbol](llvm::StringRef directive, llvm::StringRef operand) {
      return (directive.equals_insensitive(".comm") || directive.equals_insensitive(".common")) &&
             operand == symbol;
    });
  }

 private:
  [[nodiscard]] bool contains(unsigned buffer, llvm::SMLoc loc) const {
    const llvm::MemoryBuffer* b = sm_.getMemoryBuffer(buffer);
    return loc.getPointer() >= b->getBufferStart() && loc.getPointer() <= b->getBufferEnd();
  }

  // The location of the first source line whose directive and first operand satisfy `matches`.
  template <typename Predicate>
  [[nodiscard]] llvm::SMLoc find_line(Predicate matches) const {
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

  static llvm::StringRef without_label(llvm::StringRef line) {
    const size_t colon = line.find(':');
    if (colon == llvm::StringRef::npos ||
        line.substr(0, colon).find_first_of(" \t\"") != llvm::StringRef::npos) {
      return line;
    }
    return line.substr(colon + 1).ltrim();
  }

  [[nodiscard]] Diagnostic main_position(llvm::SMLoc loc) const {
    const auto [line, column] = sm_.getLineAndColumn(loc, sm_.getMainFileID());
    Diagnostic d;
    d.file = file_;
    d.line = static_cast<int>(line);
    d.column = static_cast<int>(column);
    d.source_line = line_text(loc).str();
    return d;
  }

  [[nodiscard]] llvm::StringRef line_text(llvm::SMLoc loc) const {
    const llvm::StringRef text = buffer_text(loc);
    const size_t at = static_cast<size_t>(loc.getPointer() - text.data());
    const size_t newline_before = text.substr(0, at).rfind('\n');
    const size_t begin = newline_before == llvm::StringRef::npos ? 0 : newline_before + 1;
    const size_t end = std::min(text.find('\n', at), text.size());
    return text.slice(begin, end).rtrim('\r');
  }

  const llvm::SourceMgr& sm_;
  std::string file_;
  std::unordered_map<unsigned, llvm::SMLoc> call_sites_;
};

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

// Collects SourceMgr and MCContext diagnostics. The "while in macro instantiation" notes after a
// diagnostic inside an expansion are folded into it: it moves to the outermost call site.
class DiagnosticSink {
 public:
  explicit DiagnosticSink(SourceLocator& locator) : locator_(locator) {}

  void receive(const llvm::SMDiagnostic& d) {
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

  // Records a diagnostic unless it repeats the previous one (MC reports some layout errors once
  // per relaxation pass) or kMaxDiagnostics are already recorded.
  void add(llvm::SMLoc loc, const std::string& kind, const std::string& message) {
    Diagnostic d = locator_.position(loc);
    d.kind = kind;
    d.message = message + locator_.expansion_context(loc);
    if (!diagnostics_.empty() && same(diagnostics_.back(), d)) return;
    if (kind == "error") ++errors_;
    if (diagnostics_.size() < kMaxDiagnostics) diagnostics_.push_back(std::move(d));
  }

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }

  std::vector<Diagnostic> take() {
    if (diagnostics_.size() == kMaxDiagnostics) {
      Diagnostic limit = locator_.position({});
      limit.kind = "note";
      limit.message = "only the first " + std::to_string(kMaxDiagnostics) + " diagnostics are kept";
      diagnostics_.push_back(std::move(limit));
    }
    return std::move(diagnostics_);
  }

 private:
  void follow_chain(llvm::SMLoc call_site) {
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

  void end_chain() {
    chain_buffers_.clear();
    chain_diagnostic_.reset();
  }

  static bool same(const Diagnostic& a, const Diagnostic& b) {
    return a.line == b.line && a.column == b.column && a.kind == b.kind && a.message == b.message;
  }

  SourceLocator& locator_;
  std::vector<Diagnostic> diagnostics_;
  std::vector<unsigned> chain_buffers_;
  std::optional<size_t> chain_diagnostic_;
  size_t errors_ = 0;
};

void on_source_diagnostic(const llvm::SMDiagnostic& d, void* sink) {
  static_cast<DiagnosticSink*>(sink)->receive(d);
}

struct FixupUse {
  llvm::SMLoc loc;
  std::string symbol;
};

// What RecordingWriter learns while MC lays the object out.
struct LayoutLog {
  std::unordered_map<uint64_t, FixupUse> text_fixups;  // by offset in .text
  uint64_t text_alignment = 1;
  bool written = false;
};

// Where a fragment's bytes come from in the source, when MC kept it.
llvm::SMLoc fragment_loc(const llvm::MCFragment& fragment) {
  if (const auto* fill = llvm::dyn_cast<llvm::MCFillFragment>(&fragment)) return fill->getLoc();
  if (const auto* org = llvm::dyn_cast<llvm::MCOrgFragment>(&fragment)) return org->getLoc();
  if (const auto* data = llvm::dyn_cast<llvm::MCDataFragment>(&fragment);
      data != nullptr && !data->getFixups().empty()) {
    return data->getFixups().front().getLoc();
  }
  return {};
}

// Forwards to the ELF writer. Records where each .text fixup comes from (MC reports relocations
// by offset only), reports sections other than .text that hold bytes, and refuses to write
// objects over kMaxImageBytes.
class RecordingWriter final : public llvm::MCObjectWriter {
 public:
  RecordingWriter(std::unique_ptr<llvm::MCObjectWriter> elf, LayoutLog& log, DiagnosticSink& sink,
                  const SourceLocator& locator)
      : elf_(std::move(elf)), log_(log), sink_(sink), locator_(locator) {}

  void reset() override { elf_->reset(); }

  void executePostLayoutBinding(llvm::MCAssembler& assembler,
                                const llvm::MCAsmLayout& layout) override {
    elf_->executePostLayoutBinding(assembler, layout);
  }

  void recordRelocation(llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout,
                        const llvm::MCFragment* fragment, const llvm::MCFixup& fixup,
                        llvm::MCValue target, uint64_t& fixed_value) override {
    if (fragment != nullptr && fragment->getParent() == text_section(assembler)) {
      const llvm::MCSymbolRefExpr* symbol = target.getSymA();
      log_.text_fixups.try_emplace(
          layout.getFragmentOffset(fragment) + fixup.getOffset(),
          FixupUse{fixup.getLoc(), symbol ? symbol->getSymbol().getName().str() : std::string()});
    }
    elf_->recordRelocation(assembler, layout, fragment, fixup, target, fixed_value);
  }

  bool isSymbolRefDifferenceFullyResolvedImpl(const llvm::MCAssembler& assembler,
                                              const llvm::MCSymbol& a, const llvm::MCSymbol& b,
                                              bool in_set) const override {
    return elf_->isSymbolRefDifferenceFullyResolvedImpl(assembler, a, b, in_set);
  }

  bool isSymbolRefDifferenceFullyResolvedImpl(const llvm::MCAssembler& assembler,
                                              const llvm::MCSymbol& symbol,
                                              const llvm::MCFragment& fragment, bool in_set,
                                              bool is_pc_rel) const override {
    return elf_->isSymbolRefDifferenceFullyResolvedImpl(assembler, symbol, fragment, in_set,
                                                        is_pc_rel);
  }

  void markGnuAbi() override { elf_->markGnuAbi(); }
  void emitAddrsigSection() override { elf_->emitAddrsigSection(); }
  void addAddrsigSymbol(const llvm::MCSymbol* symbol) override { elf_->addAddrsigSymbol(symbol); }

  uint64_t writeObject(llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) override {
    const bool fits = check_size(assembler, layout);
    if (fits) report_stray_sections(assembler, layout);
    if (!fits || assembler.getContext().hadError()) return 0;
    log_.text_alignment = text_section(assembler)->getAlignment();
    log_.written = true;
    return elf_->writeObject(assembler, layout);
  }

 private:
  static const llvm::MCSection* text_section(const llvm::MCAssembler& assembler) {
    return assembler.getContext().getObjectFileInfo()->getTextSection();
  }

  bool check_size(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) {
    uint64_t total = 0;
    for (const llvm::MCSection& section : assembler) {
      total = saturating_add(total, layout.getSectionAddressSize(&section));
    }
    if (total <= kMaxImageBytes) return true;
    sink_.add(largest_fragment_loc(assembler, layout), "error",
              "the image would be " + std::to_string(total) + " bytes; the limit is " +
                  std::to_string(kMaxImageBytes) + " bytes (" +
                  std::to_string(kMaxImageBytes >> 20) + " MiB)");
    return false;
  }

  llvm::SMLoc largest_fragment_loc(const llvm::MCAssembler& assembler,
                                   const llvm::MCAsmLayout& layout) const {
    uint64_t largest = 0;
    llvm::SMLoc loc;
    for (const llvm::MCSection& section : assembler) {
      for (const llvm::MCFragment& fragment : section) {
        const uint64_t size = assembler.computeFragmentSize(layout, fragment);
        if (size <= largest) continue;
        largest = size;
        loc = content_loc(section, fragment);
      }
    }
    return loc;
  }

  void report_stray_sections(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) {
    for (const llvm::MCSection& section : assembler) {
      const uint64_t size = layout.getSectionAddressSize(&section);
      if (&section == text_section(assembler) || size == 0) continue;
      sink_.add(first_content_loc(assembler, layout, section), "error",
                "section '" + section.getName().str() + "' holds " + byte_count(size) +
                    ", but a guest image is .text only (put data in .text after .balign 8)");
    }
  }

  llvm::SMLoc first_content_loc(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout,
                                const llvm::MCSection& section) const {
    for (const llvm::MCFragment& fragment : section) {
      if (assembler.computeFragmentSize(layout, fragment) != 0) {
        return content_loc(section, fragment);
      }
    }
    return locator_.find_section_directive(section.getName());
  }

  llvm::SMLoc content_loc(const llvm::MCSection& section, const llvm::MCFragment& fragment) const {
    const llvm::SMLoc loc = fragment_loc(fragment);
    return loc.isValid() ? loc : locator_.find_section_directive(section.getName());
  }

  std::unique_ptr<llvm::MCObjectWriter> elf_;
  LayoutLog& log_;
  DiagnosticSink& sink_;
  const SourceLocator& locator_;
};

// Directives a guest may not use, with the reason; nullptr when allowed.
const char* rejection_reason(llvm::StringRef directive) {
  if (directive == ".include" || directive == ".incbin") {
    return "is not supported: guest sources are assembled from memory and may not read files";
  }
  if (directive == ".print") return "is not supported: it writes to standard output";
  // LLVM emits these one element at a time, so a large count would hang it.
  if (directive == ".dcb" || directive.startswith(".dcb.") || directive == ".ds" ||
      directive.startswith(".ds.")) {
    return "is not supported: use .fill or .space";
  }
  if (directive.startswith(".cv_")) return "is not supported: CodeView is for COFF objects";
  if (directive.startswith(".bundle_")) {
    return "is not supported: instruction bundling is for Native Client";  // aborts LLVM 14
  }
  return nullptr;
}

// False for directives that only steer the assembler and never emit bytes or fixups.
bool may_emit(llvm::StringRef directive) {
  static constexpr llvm::StringLiteral kControl[] = {
      ".endm",   ".endmacro", ".macro",  ".purgem", ".exitm",    ".rept",      ".rep",
      ".irp",    ".irpc",     ".endr",   ".set",    ".equ",      ".equiv",     ".globl",
      ".global", ".local",    ".weak",   ".type",   ".size",     ".hidden",    ".protected",
      ".if",     ".else",     ".elseif", ".endif",  ".altmacro", ".noaltmacro"};
  return std::find(std::begin(kControl), std::end(kControl), directive) == std::end(kControl);
}

// The subsection a section directive names, if any: `.text 1`, `.pushsection .data, 2`.
// (LLVM 14 accepts no subsection on `.section`.)
llvm::StringRef subsection_of(llvm::StringRef directive, llvm::StringRef arguments) {
  static constexpr llvm::StringLiteral kSwitches[] = {
      ".text", ".data",     ".bss",         ".rodata",   ".tdata",
      ".tbss", ".data.rel", ".data.rel.ro", ".eh_frame", ".subsection"};
  arguments = arguments.trim();
  if (std::find(std::begin(kSwitches), std::end(kSwitches), directive) != std::end(kSwitches)) {
    return arguments;
  }
  if (directive != ".pushsection") return {};
  const size_t closing_quote = arguments.find('"', 1);
  const size_t name_end =
      !arguments.startswith("\"")
          ? arguments.find_if([](char c) { return llvm::isSpace(c) || c == ','; })
      : closing_quote == llvm::StringRef::npos ? arguments.size()
                                               : closing_quote + 1;
  llvm::StringRef after_name = arguments.substr(std::min(name_end, arguments.size())).ltrim();
  if (!after_name.consume_front(",")) return {};
  after_name = after_name.ltrim();
  return after_name.startswith("\"")
             ? llvm::StringRef()
             : after_name.take_until([](char c) { return c == ','; }).rtrim();
}

// MC aborts the process (report_fatal_error) on a subsection that is not a constant from 0 to
// 8192, so only integer literals in that range are let through.
std::optional<std::string> subsection_problem(llvm::StringRef directive,
                                              llvm::StringRef arguments) {
  const llvm::StringRef subsection = subsection_of(directive, arguments);
  uint64_t number = 0;
  if (subsection.empty() || (!subsection.getAsInteger(0, number) && number <= 8192)) {
    return std::nullopt;
  }
  return "subsection '" + subsection.str() + "' is not an integer literal from 0 to 8192";
}

bool is_repetition(llvm::StringRef directive) {
  return directive == ".rept" || directive == ".rep" || directive == ".irp" || directive == ".irpc";
}

// Lexes the next token the way AsmParser::Lex does, but without reporting lexer errors: the
// tokens are read again by LLVM, which reports them then.
void lex(llvm::MCAsmLexer& lexer) {
  do {
    lexer.Lex();
  } while (lexer.is(llvm::AsmToken::Comment));
}

void skip_to_end_of_statement(llvm::MCAsmLexer& lexer) {
  while (lexer.isNot(llvm::AsmToken::EndOfStatement) && lexer.isNot(llvm::AsmToken::Eof)) {
    lex(lexer);
  }
}

// Wraps the AArch64 target parser, which LLVM asks first about every directive and instruction.
// Rejects directives that would read files or cannot go into a guest image, bounds the text that
// macros and .rept/.irp/.irpc generate, and asks LLVM where each expansion was instantiated (a
// note DiagnosticSink turns into a call site) so that later positions inside it can be placed.
class GuardedParser final : public llvm::MCTargetAsmParser {
 public:
  GuardedParser(llvm::MCTargetAsmParser& inner, const llvm::MCTargetOptions& options,
                const llvm::MCSubtargetInfo& sti, const llvm::MCInstrInfo& mii,
                SourceLocator& locator)
      : MCTargetAsmParser(options, sti, mii), inner_(inner), locator_(locator) {
    setAvailableFeatures(inner.getAvailableFeatures());
    BracketExpressionsSupported = inner.HasBracketExpressions();
  }

  bool ParseDirective(llvm::AsmToken id) override {
    const std::string directive = id.getIdentifier().lower();
    charge_new_expansions(id.getLoc());
    if (may_emit(directive)) probe_expansion(id.getLoc());
    if (getParser().hasPendingError()) return inner_.ParseDirective(id);
    if (const char* reason = rejection_reason(directive)) {
      getParser().Error(id.getLoc(), "'" + directive + "' " + reason);
      getParser().eatToEndOfStatement();
      return false;
    }
    if (auto problem = subsection_problem(directive, rest_of_statement())) {
      getParser().Error(getTok().getLoc(), *problem);
      getParser().eatToEndOfStatement();
      return false;
    }
    if (directive == ".macro") {
      remember_macro_name();
      if (!macro_end_is_clean(id.getLoc())) return false;
    }
    if (is_repetition(directive) && !repetition_fits(directive, id.getLoc())) return false;
    if (directive == ".fill" && !fill_fits(id.getLoc())) return false;
    if ((directive == ".uleb128" || directive == ".sleb128") && !leb128_is_constant(id.getLoc())) {
      return false;
    }
    return inner_.ParseDirective(id);
  }

  bool ParseInstruction(llvm::ParseInstructionInfo& info, llvm::StringRef name, llvm::SMLoc loc,
                        llvm::OperandVector& operands) override {
    charge_new_expansions(loc);
    probe_expansion(loc);
    return inner_.ParseInstruction(info, name, loc, operands);
  }

  bool ParseInstruction(llvm::ParseInstructionInfo& info, llvm::StringRef name,
                        llvm::AsmToken token, llvm::OperandVector& operands) override {
    charge_new_expansions(token.getLoc());
    probe_expansion(token.getLoc());
    return inner_.ParseInstruction(info, name, token, operands);
  }

  bool parsePrimaryExpr(const llvm::MCExpr*& result, llvm::SMLoc& end) override {
    return inner_.parsePrimaryExpr(result, end);
  }
  bool ParseRegister(unsigned& reg, llvm::SMLoc& start, llvm::SMLoc& end) override {
    return inner_.ParseRegister(reg, start, end);
  }
  llvm::OperandMatchResultTy tryParseRegister(unsigned& reg, llvm::SMLoc& start,
                                              llvm::SMLoc& end) override {
    return inner_.tryParseRegister(reg, start, end);
  }
  bool MatchAndEmitInstruction(llvm::SMLoc loc, unsigned& opcode, llvm::OperandVector& operands,
                               llvm::MCStreamer& out, uint64_t& error_info,
                               bool matching_inline_asm) override {
    return inner_.MatchAndEmitInstruction(loc, opcode, operands, out, error_info,
                                          matching_inline_asm);
  }
  bool OmitRegisterFromClobberLists(unsigned reg) override {
    return inner_.OmitRegisterFromClobberLists(reg);
  }
  unsigned validateTargetOperandClass(llvm::MCParsedAsmOperand& operand, unsigned kind) override {
    return inner_.validateTargetOperandClass(operand, kind);
  }
  unsigned checkEarlyTargetMatchPredicate(llvm::MCInst& inst,
                                          const llvm::OperandVector& operands) override {
    return inner_.checkEarlyTargetMatchPredicate(inst, operands);
  }
  unsigned checkTargetMatchPredicate(llvm::MCInst& inst) override {
    return inner_.checkTargetMatchPredicate(inst);
  }
  void convertToMapAndConstraints(unsigned kind, const llvm::OperandVector& operands) override {
    inner_.convertToMapAndConstraints(kind, operands);
  }
  bool regsEqual(const llvm::MCParsedAsmOperand& a,
                 const llvm::MCParsedAsmOperand& b) const override {
    return inner_.regsEqual(a, b);
  }
  bool equalIsAsmAssignment() override { return inner_.equalIsAsmAssignment(); }
  bool isLabel(llvm::AsmToken& token) override { return inner_.isLabel(token); }
  bool starIsStartOfStatement() override { return inner_.starIsStartOfStatement(); }
  const llvm::MCExpr* applyModifierToExpr(const llvm::MCExpr* expr,
                                          llvm::MCSymbolRefExpr::VariantKind kind,
                                          llvm::MCContext& context) override {
    return inner_.applyModifierToExpr(expr, kind, context);
  }
  void doBeforeLabelEmit(llvm::MCSymbol* symbol) override { inner_.doBeforeLabelEmit(symbol); }
  void onLabelParsed(llvm::MCSymbol* symbol) override { inner_.onLabelParsed(symbol); }
  void flushPendingInstructions(llvm::MCStreamer& out) override {
    inner_.flushPendingInstructions(out);
  }
  const llvm::MCExpr* createTargetUnaryExpr(const llvm::MCExpr* expr, llvm::AsmToken::TokenKind op,
                                            llvm::MCContext& context) override {
    return inner_.createTargetUnaryExpr(expr, op, context);
  }
  void onBeginOfFile() override { inner_.onBeginOfFile(); }
  void onEndOfFile() override { inner_.onEndOfFile(); }

 private:
  // Charges every buffer LLVM added since the last look (each is one expansion) to the budget;
  // once it is spent, macros are undefined so that expansion stops.
  void charge_new_expansions(llvm::SMLoc loc) {
    const llvm::SourceMgr& sm = getSourceManager();
    for (; buffers_seen_ < sm.getNumBuffers(); ++buffers_seen_) {
      expanded_bytes_ =
          saturating_add(expanded_bytes_, sm.getMemoryBuffer(buffers_seen_ + 1)->getBufferSize() +
                                              kExpansionOverheadBytes);
    }
    if (expanded_bytes_ <= kMaxExpansionBytes) return;
    if (!budget_spent_) {
      budget_spent_ = true;
      getParser().printError(loc, "macro and .rept expansion exceeds the " +
                                      std::to_string(kMaxExpansionBytes) +
                                      "-byte budget; macros are disabled from here on");
    }
    for (const std::string& name : macro_names_)
      getContext().undefineMacro(name);
  }

  // Asks LLVM where the expansion holding `loc` was instantiated, once per expansion. Costly
  // (SourceMgr scans every buffer per note), so only done where bytes may be emitted.
  void probe_expansion(llvm::SMLoc loc) {
    const unsigned buffer = locator_.buffer_of(loc);
    if (locator_.is_unmapped_expansion(buffer) && probed_.insert(buffer).second) {
      getParser().Note(loc, kProbeNote);
    }
  }

  // The raw text after the directive up to the end of the statement (comments dropped).
  llvm::StringRef rest_of_statement() {
    const char* start = getTok().getLoc().getPointer();
    const llvm::StringRef buffer = locator_.buffer_text(getTok().getLoc());
    const llvm::StringRef line =
        buffer.substr(static_cast<size_t>(start - buffer.data())).take_until([](char c) {
          return c == '\n' || c == ';';
        });
    return line.substr(0, line.find("//"));
  }

  void remember_macro_name() {
    if (getTok().is(llvm::AsmToken::Identifier) || getTok().is(llvm::AsmToken::String)) {
      macro_names_.push_back(getTok().getIdentifier().str());
    }
  }

  // LLVM skips invalid characters while it collects a macro body, so in `\xff .endm` the .endm
  // still closes the definition. The expansion then reads `\xff.endmacro` as one bad statement,
  // never leaves the macro, and LLVM stops assembling with its state leaked. Such a definition
  // is reported and skipped; others are left to LLVM (the lexer is rewound).
  bool macro_end_is_clean(llvm::SMLoc directive_loc) {
    llvm::MCAsmLexer& lexer = getLexer();
    skip_to_end_of_statement(lexer);
    std::optional<llvm::SMLoc> invalid_before_end;
    for (int nesting = 0; lexer.isNot(llvm::AsmToken::Eof);) {
      lex(lexer);
      invalid_before_end.reset();
      for (; lexer.is(llvm::AsmToken::Error); lex(lexer)) {
        invalid_before_end = lexer.getTok().getLoc();
      }
      const llvm::StringRef id =
          lexer.is(llvm::AsmToken::Identifier) ? lexer.getTok().getIdentifier() : "";
      if ((id == ".endm" || id == ".endmacro") && nesting-- == 0) break;
      if (id == ".macro") ++nesting;
      skip_to_end_of_statement(lexer);
    }
    if (!invalid_before_end || lexer.is(llvm::AsmToken::Eof)) {
      rewind(directive_loc);
      return true;
    }
    getParser().Error(*invalid_before_end, "invalid character before the '.endm' of this macro");
    skip_to_end_of_statement(lexer);  // the whole definition is skipped
    return false;
  }

  [[nodiscard]] uint64_t budget_left() const {
    return expanded_bytes_ >= kMaxExpansionBytes ? 0 : kMaxExpansionBytes - expanded_bytes_;
  }

  // Measures a .rept/.irp/.irpc block (count × body bytes) before LLVM expands it. Within the
  // budget the lexer is rewound and LLVM parses the block as usual; over it, the block is
  // reported and skipped. Blocks LLVM will reject anyway (bad count, no .endr) are left to it.
  bool repetition_fits(const std::string& directive, llvm::SMLoc directive_loc) {
    llvm::MCAsmLexer& lexer = getLexer();
    const RepetitionHead head = parse_repetition_head(directive, lexer);
    const std::optional<uint64_t> body = skip_repetition_body(lexer);
    if (head.named_argument) {
      getParser().Error(directive_loc, "'" + directive + "' takes no named (name=value) arguments");
      return false;
    }
    const uint64_t cost = saturating_mul(head.count.value_or(0), body.value_or(0));
    if (!head.count || !body || cost <= budget_left()) {
      rewind(directive_loc);
      return true;
    }
    getParser().Error(directive_loc, "'" + directive + "' would expand to " + std::to_string(cost) +
                                         " bytes, more than is left of the " +
                                         std::to_string(kMaxExpansionBytes) +
                                         "-byte expansion budget");
    return false;
  }

  struct RepetitionHead {
    std::optional<uint64_t> count;
    bool named_argument = false;  // LLVM 14 crashes on these in .irp/.irpc (null macro)
  };

  // .rept: the evaluated count. .irp/.irpc: the argument text length, an upper bound on the
  // number of arguments or characters.
  RepetitionHead parse_repetition_head(const std::string& directive, llvm::MCAsmLexer& lexer) {
    RepetitionHead head;
    if (directive == ".rept" || directive == ".rep") {
      head.count = parse_count();
      skip_to_end_of_statement(lexer);
      return head;
    }
    const char* arguments = lexer.getTok().getLoc().getPointer();
    bool after_identifier = false;
    while (lexer.isNot(llvm::AsmToken::EndOfStatement) && lexer.isNot(llvm::AsmToken::Eof)) {
      head.named_argument |= after_identifier && lexer.is(llvm::AsmToken::Equal);
      after_identifier = lexer.is(llvm::AsmToken::Identifier);
      lex(lexer);
    }
    head.count = static_cast<uint64_t>(lexer.getTok().getLoc().getPointer() - arguments);
    return head;
  }

  // LLVM emits a `.fill` with a constant count one element at a time, before any size check:
  // measures count × size first and rejects fills over kMaxImageBytes.
  bool fill_fits(llvm::SMLoc directive_loc) {
    llvm::MCAsmLexer& lexer = getLexer();
    const std::optional<uint64_t> count = parse_count();
    uint64_t size = 1;
    if (count && lexer.is(llvm::AsmToken::Comma)) {
      lex(lexer);
      size = std::min<uint64_t>(parse_count().value_or(1), 8);  // LLVM caps the size at 8
    }
    rewind(directive_loc);
    const uint64_t bytes = saturating_mul(count.value_or(0), size);
    if (bytes <= kMaxImageBytes) return true;
    getParser().Error(directive_loc, "'.fill' of " + byte_count(bytes) + " is over the " +
                                         std::to_string(kMaxImageBytes) + "-byte image limit");
    getParser().eatToEndOfStatement();
    return false;
  }

  // MC aborts the process (report_fatal_error) when a .uleb128/.sleb128 operand is not absolute
  // at layout; only operands that are constants already are let through.
  bool leb128_is_constant(llvm::SMLoc directive_loc) {
    llvm::MCAsmLexer& lexer = getLexer();
    bool constant = true;
    do {
      if (lexer.is(llvm::AsmToken::Comma)) lex(lexer);
      constant = parse_constant().has_value();
    } while (constant && lexer.is(llvm::AsmToken::Comma));
    rewind(directive_loc);
    if (constant) return true;
    getParser().Error(directive_loc, "'.uleb128' and '.sleb128' take constant expressions only");
    getParser().eatToEndOfStatement();
    return false;
  }

  // A non-negative constant expression; nullopt when it is not one.
  std::optional<uint64_t> parse_count() {
    const std::optional<int64_t> count = parse_constant();
    if (!count || *count < 0) return std::nullopt;
    return static_cast<uint64_t>(*count);
  }

  // Parses and evaluates a constant expression; nullopt (and no diagnostics: LLVM parses it
  // again after the rewind) when it is not one.
  std::optional<int64_t> parse_constant() {
    const llvm::MCExpr* expr = nullptr;
    int64_t value = 0;
    const bool parsed = !getParser().parseExpression(expr);
    getParser().clearPendingErrors();
    if (!parsed || !expr->evaluateAsAbsolute(value, getStreamer().getAssemblerPtr())) {
      return std::nullopt;
    }
    return value;
  }

  // Mirrors LLVM's parseMacroLikeBody: skips to the matching .endr and returns the body's size.
  static std::optional<uint64_t> skip_repetition_body(llvm::MCAsmLexer& lexer) {
    lex(lexer);
    const char* body = lexer.getTok().getLoc().getPointer();
    int nesting = 0;
    while (lexer.isNot(llvm::AsmToken::Eof)) {
      if (lexer.is(llvm::AsmToken::Identifier)) {
        const llvm::StringRef id = lexer.getTok().getIdentifier();
        if (id == ".rep" || id == ".rept" || id == ".irp" || id == ".irpc") ++nesting;
        if (id == ".endr" && nesting-- == 0) {
          const auto size = static_cast<uint64_t>(lexer.getTok().getLoc().getPointer() - body);
          skip_to_end_of_statement(lexer);
          return size;
        }
      }
      skip_to_end_of_statement(lexer);
      if (lexer.is(llvm::AsmToken::EndOfStatement)) lex(lexer);
    }
    return std::nullopt;
  }

  // Puts the lexer back on the first token after the directive, as AsmParser left it. The
  // directive lies in the buffer being lexed, so the parser's idea of that buffer still holds.
  void rewind(llvm::SMLoc directive_loc) {
    auto& lexer = static_cast<llvm::AsmLexer&>(getLexer());
    lexer.setBuffer(locator_.buffer_text(directive_loc), directive_loc.getPointer());
    lex(lexer);  // the directive itself
    lex(lexer);
  }

  llvm::MCTargetAsmParser& inner_;
  SourceLocator& locator_;
  std::set<unsigned> probed_;
  std::vector<std::string> macro_names_;
  unsigned buffers_seen_ = 1;  // the source file
  uint64_t expanded_bytes_ = 0;
  bool budget_spent_ = false;
};

bool is_mapping_symbol(llvm::StringRef name) {
  return name == "$x" || name == "$d" || name.startswith("$x.") || name.startswith("$d.");
}

// Reads .text, its symbols and relocations from the ELF object MC wrote.
class ElfReader {
 public:
  ElfReader(const llvm::object::ObjectFile& elf, const LayoutLog& log, const SourceLocator& locator,
            DiagnosticSink& sink)
      : elf_(elf), log_(log), locator_(locator), sink_(sink) {}

  void read_into(ObjectCode& object) {
    const std::optional<llvm::object::SectionRef> text = find_text();
    if (!text) return;
    const llvm::StringRef bytes = value_or(text->getContents(), llvm::StringRef());
    object.text.assign(bytes.bytes_begin(), bytes.bytes_end());
    object.text_alignment = log_.text_alignment;
    read_symbols(*text, object);
    read_relocations(*text, object);
  }

 private:
  [[nodiscard]] std::optional<llvm::object::SectionRef> find_text() const {
    for (const llvm::object::SectionRef& section : elf_.sections()) {
      if (value_or(section.getName(), llvm::StringRef()) == ".text") return section;
    }
    return std::nullopt;
  }

  void read_symbols(const llvm::object::SectionRef& text, ObjectCode& object) {
    for (const llvm::object::SymbolRef& symbol : elf_.symbols()) {
      const auto type = value_or(symbol.getType(), llvm::object::SymbolRef::ST_Unknown);
      const auto flags = value_or(symbol.getFlags(), uint32_t{0});
      const llvm::StringRef name = value_or(symbol.getName(), llvm::StringRef());
      if (type == llvm::object::SymbolRef::ST_File || type == llvm::object::SymbolRef::ST_Debug ||
          name.empty() || is_mapping_symbol(name)) {
        continue;
      }
      if ((flags & llvm::object::SymbolRef::SF_Common) != 0) {
        sink_.add(locator_.find_common_directive(name), "error",
                  "common symbol '" + name.str() +
                      "' needs memory outside .text, but a guest image is .text only");
        continue;
      }
      if (section_of(symbol) == text) {
        object.symbols.push_back({name.str(), value_or(symbol.getValue(), uint64_t{0})});
      }
    }
  }

  void read_relocations(const llvm::object::SectionRef& text, ObjectCode& object) {
    for (const llvm::object::SectionRef& section : elf_.sections()) {
      const auto relocated = value_or(section.getRelocatedSection(), elf_.section_end());
      if (relocated == elf_.section_end() || *relocated != text) continue;
      for (const llvm::object::RelocationRef& relocation : section.relocations()) {
        object.relocations.push_back(convert(relocation, text));
      }
    }
  }

  Relocation convert(const llvm::object::RelocationRef& relocation,
                     const llvm::object::SectionRef& text) const {
    Relocation r;
    r.offset = relocation.getOffset();
    r.type = static_cast<uint32_t>(relocation.getType());
    llvm::SmallString<32> type_name;
    relocation.getTypeName(type_name);
    r.type_name = type_name.str().str();
    r.addend = value_or(llvm::object::ELFRelocationRef(relocation).getAddend(), int64_t{0});
    place_target(relocation.getSymbol(), text, r);
    if (auto use = log_.text_fixups.find(r.offset); use != log_.text_fixups.end()) {
      if (!use->second.symbol.empty()) r.symbol = use->second.symbol;
      r.use = locator_.position(use->second.loc);
    } else {
      r.use = locator_.position({});
    }
    point_at_symbol(r.use, r.symbol);
    return r;
  }

  // Moves the column from the start of the statement to the symbol's name, when the line spells
  // it out (it may not, inside a macro expansion).
  static void point_at_symbol(Diagnostic& use, const std::string& symbol) {
    if (use.column <= 0 || symbol.empty()) return;
    const auto is_name_char = [](char c) {
      return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$';
    };
    const std::string& line = use.source_line;
    for (size_t at = line.find(symbol, static_cast<size_t>(use.column - 1));
         at != std::string::npos; at = line.find(symbol, at + 1)) {
      const size_t end = at + symbol.size();
      if ((at == 0 || !is_name_char(line[at - 1])) &&
          (end == line.size() || !is_name_char(line[end]))) {
        use.column = static_cast<int>(at) + 1;
        return;
      }
    }
  }

  void place_target(llvm::object::symbol_iterator symbol, const llvm::object::SectionRef& text,
                    Relocation& r) const {
    if (symbol == elf_.symbol_end()) {
      r.place = TargetPlace::absolute;
      return;
    }
    r.symbol = value_or(symbol->getName(), llvm::StringRef()).str();
    const auto flags = value_or(symbol->getFlags(), uint32_t{0});
    const auto section = section_of(*symbol);
    if ((flags & llvm::object::SymbolRef::SF_Undefined) != 0) {
      r.place = TargetPlace::undefined;
    } else if ((flags & llvm::object::SymbolRef::SF_Absolute) != 0) {
      r.place = TargetPlace::absolute;
      r.value = value_or(symbol->getValue(), uint64_t{0});
    } else if (section == text) {
      r.place = TargetPlace::text;
      r.value = value_or(symbol->getValue(), uint64_t{0});
    } else {
      r.place = TargetPlace::elsewhere;
      r.section = (flags & llvm::object::SymbolRef::SF_Common) != 0
                      ? "COMMON"
                      : value_or(section.getName(), llvm::StringRef("?")).str();
    }
  }

  [[nodiscard]] llvm::object::SectionRef section_of(const llvm::object::SymbolRef& symbol) const {
    const auto section = value_or(symbol.getSection(), elf_.section_end());
    return section == elf_.section_end() ? llvm::object::SectionRef() : *section;
  }

  const llvm::object::ObjectFile& elf_;
  const LayoutLog& log_;
  const SourceLocator& locator_;
  DiagnosticSink& sink_;
};

// The description objects MC needs for the target. Created once and shared by every assembly
// (and thread): MC only reads them; a parser that changes features (.arch) works on a copy.
struct TargetDescription {
  explicit TargetDescription(const llvm::Target& t)
      : target(t),
        registers(t.createMCRegInfo(kTriple)),
        asm_info(t.createMCAsmInfo(*registers, kTriple, options)),
        instructions(t.createMCInstrInfo()),
        subtarget(t.createMCSubtargetInfo(kTriple, kCpu, kFeatures)) {}

  const llvm::Target& target;
  const llvm::Triple triple{kTriple};
  const llvm::MCTargetOptions options;
  const std::unique_ptr<const llvm::MCRegisterInfo> registers;
  const std::unique_ptr<const llvm::MCAsmInfo> asm_info;
  const std::unique_ptr<const llvm::MCInstrInfo> instructions;
  const std::unique_ptr<const llvm::MCSubtargetInfo> subtarget;
};

const TargetDescription& aarch64() {
  static std::once_flag once;
  static std::unique_ptr<const TargetDescription> description;
  std::call_once(once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmParser();
    std::string error;
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kTriple, error);
    if (target == nullptr) throw std::runtime_error("LLVM has no AArch64 target: " + error);
    description = std::make_unique<const TargetDescription>(*target);
  });
  return *description;
}

// Runs LLVM's parser over the source, writing an ELF object into `elf` and layout facts into
// `log`. Diagnostics go to `sink`.
void run_mc(const TargetDescription& d, llvm::SourceMgr& sm, SourceLocator& locator,
            DiagnosticSink& sink, LayoutLog& log, llvm::SmallVectorImpl<char>& elf) {
  llvm::MCContext context(d.triple, d.asm_info.get(), d.registers.get(), d.subtarget.get(), &sm,
                          &d.options);
  context.setDiagnosticHandler(
      [&sink](const llvm::SMDiagnostic& diagnostic, bool, const llvm::SourceMgr&,
              std::vector<const llvm::MDNode*>&) { sink.receive(diagnostic); });
  std::unique_ptr<llvm::MCObjectFileInfo> file_info(
      d.target.createMCObjectFileInfo(context, /*PIC=*/false));
  context.setObjectFileInfo(file_info.get());

  llvm::raw_svector_ostream os(elf);
  std::unique_ptr<llvm::MCAsmBackend> backend(
      d.target.createMCAsmBackend(*d.subtarget, *d.registers, d.options));
  auto writer =
      std::make_unique<RecordingWriter>(backend->createObjectWriter(os), log, sink, locator);
  std::unique_ptr<llvm::MCCodeEmitter> emitter(
      d.target.createMCCodeEmitter(*d.instructions, *d.registers, context));
  std::unique_ptr<llvm::MCStreamer> streamer(d.target.createMCObjectStreamer(
      d.triple, context, std::move(backend), std::move(writer), std::move(emitter), *d.subtarget,
      /*RelaxAll=*/false, /*IncrementalLinkerCompatible=*/false,
      /*DWARFMustBeAtTheEnd=*/false));
  std::unique_ptr<llvm::MCAsmParser> parser(
      llvm::createMCAsmParser(sm, context, *streamer, *d.asm_info));
  std::unique_ptr<llvm::MCTargetAsmParser> target_parser(
      d.target.createMCAsmParser(*d.subtarget, *parser, *d.instructions, d.options));
  GuardedParser guarded(*target_parser, d.options, *d.subtarget, *d.instructions, locator);
  parser->setTargetParser(guarded);
  parser->Run(/*NoInitialTextSection=*/false);
}

}  // namespace

ObjectCode assemble_object(std::string_view source, std::string_view file) {
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(source.data(), source.size()),
                                           llvm::StringRef(file.data(), file.size())),
      llvm::SMLoc());
  SourceLocator locator(sm, std::string(file));
  DiagnosticSink sink(locator);
  sm.setDiagHandler(&on_source_diagnostic, &sink);

  LayoutLog log;
  llvm::SmallVector<char, 0> elf;
  run_mc(aarch64(), sm, locator, sink, log, elf);

  ObjectCode object;
  if (log.written) {
    auto parsed = llvm::object::ObjectFile::createELFObjectFile(llvm::MemoryBufferRef(
        llvm::StringRef(elf.data(), elf.size()), llvm::StringRef(file.data(), file.size())));
    if (parsed) {
      ElfReader(**parsed, log, locator, sink).read_into(object);
    } else {
      llvm::consumeError(parsed.takeError());
      sink.add({}, "error", "internal error: LLVM wrote an object it cannot read back");
    }
  }
  object.diagnostics = sink.take();
  return object;
}

}  // namespace ffaemu::guest::detail
