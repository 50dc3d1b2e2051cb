// An MCTargetAsmParser that passes every hook to another target parser: the base for wrapping
// LLVM's AArch64 parser, so that GuardedParser overrides only the hooks it guards.
#pragma once

#include <llvm/MC/MCParser/MCTargetAsmParser.h>

namespace ffaemu::guest::detail {

class ForwardingParser : public llvm::MCTargetAsmParser {
 public:
  ForwardingParser(llvm::MCTargetAsmParser& inner, const llvm::MCTargetOptions& options,
                   const llvm::MCSubtargetInfo& sti, const llvm::MCInstrInfo& mii)
      : MCTargetAsmParser(options, sti, mii), inner_(inner) {
    setAvailableFeatures(inner.getAvailableFeatures());
    BracketExpressionsSupported = inner.HasBracketExpressions();
  }

  bool ParseDirective(llvm::AsmToken id) override { return inner_.ParseDirective(id); }
  bool ParseInstruction(llvm::ParseInstructionInfo& info, llvm::StringRef name, llvm::SMLoc loc,
                        llvm::OperandVector& operands) override {
    return inner_.ParseInstruction(info, name, loc, operands);
  }
  bool ParseInstruction(llvm::ParseInstructionInfo& info, llvm::StringRef name,
                        llvm::AsmToken token, llvm::OperandVector& operands) override {
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

 protected:
  llvm::MCTargetAsmParser& inner_;
};

}  // namespace ffaemu::guest::detail
