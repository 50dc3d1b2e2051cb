// GuardedParser: wraps LLVM's AArch64 target parser to refuse directives a guest may not use,
// bound what macros and .rept/.irp/.irpc expand to, and steer clear of LLVM 14's crash bugs.
#include <llvm/ADT/StringExtras.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCExpr.h>
#include <llvm/MC/MCParser/AsmLexer.h>
#include <llvm/MC/MCParser/MCAsmParser.h>
#include <llvm/MC/MCStreamer.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>

#include <algorithm>
#include <optional>
#include <set>

#include "guest_images/llvm/forwarding_parser.h"
#include "guest_images/llvm/llvm_internal.h"

namespace ffaemu::guest::detail {
namespace {

constexpr uint64_t kMaxExpansionBytes = uint64_t{1} << 20;  // macro and .rept text LLVM generates
constexpr uint64_t kExpansionOverheadBytes = 1024;          // charged per expansion buffer

uint64_t saturating_mul(uint64_t a, uint64_t b) {
  return b != 0 && a > std::numeric_limits<uint64_t>::max() / b
             ? std::numeric_limits<uint64_t>::max()
             : a * b;
}

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
class GuardedParser final : public ForwardingParser {
 public:
  GuardedParser(llvm::MCTargetAsmParser& inner, const llvm::MCTargetOptions& options,
                const llvm::MCSubtargetInfo& sti, const llvm::MCInstrInfo& mii,
                SourceLocator& locator)
      : ForwardingParser(inner, options, sti, mii), locator_(locator) {}

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
        if (is_repetition(id)) ++nesting;
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

  SourceLocator& locator_;
  std::set<unsigned> probed_;
  std::vector<std::string> macro_names_;
  unsigned buffers_seen_ = 1;  // the source file
  uint64_t expanded_bytes_ = 0;
  bool budget_spent_ = false;
};

}  // namespace

std::unique_ptr<llvm::MCTargetAsmParser> guard_parser(llvm::MCTargetAsmParser& inner,
                                                      const llvm::MCTargetOptions& options,
                                                      const llvm::MCSubtargetInfo& sti,
                                                      const llvm::MCInstrInfo& mii,
                                                      SourceLocator& locator) {
  return std::make_unique<GuardedParser>(inner, options, sti, mii, locator);
}

}  // namespace ffaemu::guest::detail
