// assemble(): encodings, labels and symbols, and diagnostics with file:line:col.
#include "guest_images/assembler.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace ffaemu::guest {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<uint32_t> words(const Image& image) {
  std::vector<uint32_t> out;
  for (size_t i = 0; i + 4 <= image.bytes.size(); i += 4) {
    out.push_back(uint32_t{image.bytes[i]} | uint32_t{image.bytes[i + 1]} << 8 |
                  uint32_t{image.bytes[i + 2]} << 16 | uint32_t{image.bytes[i + 3]} << 24);
  }
  return out;
}

std::vector<Diagnostic> diagnostics_of(std::string_view source, std::string_view file = "t.S") {
  try {
    assemble(source, file);
  } catch (const AssemblyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected an AssemblyError for:\n" << source;
  return {};
}

TEST(Assemble, MovAndSmc_ProducesExactWords) {
  const Image image = assemble("mov x0, #1\nsmc #0\n", "t.S");
  EXPECT_THAT(image.bytes, ElementsAre(0x20, 0x00, 0x80, 0xd2, 0x03, 0x00, 0x00, 0xd4));
  EXPECT_THAT(words(image), ElementsAre(0xd2800020u, 0xd4000003u));
}

TEST(Assemble, SmcAndHvcImmediate_EncodesImm16) {
  EXPECT_THAT(words(assemble("smc #0x42\nhvc #7\nhvc #0\nsmc #0xffff\n", "t.S")),
              ElementsAre(0xd4000843u, 0xd40000e2u, 0xd4000002u, 0xd41fffe3u));
}

TEST(Assemble, ImageRecordsFileAndBase) {
  const Image image = assemble("nop\n", "guest.S", 0x4000'0000);
  EXPECT_EQ(image.file, "guest.S");
  EXPECT_EQ(image.base, 0x4000'0000u);
  EXPECT_THAT(words(image), ElementsAre(0xd503201fu));
}

TEST(Assemble, SystemRegisters_AssembleWithV84Features) {
  EXPECT_THAT(words(assemble("msr scr_el3, x0\nmrs x1, vbar_el2\n", "t.S")),
              ElementsAre(0xd51e1100u, 0xd53cc001u));
}

TEST(Assemble, LiteralPool_PlacesConstantAfterCode) {
  // ldr w0 (literal) 12 bytes ahead, where MC puts the pool at the end of .text.
  EXPECT_THAT(words(assemble("ldr w0, =0x84000063\nsmc #0\nret\n", "t.S")),
              ElementsAre(0x18000060u, 0xd4000003u, 0xd65f03c0u, 0x84000063u));
}

TEST(Assemble, LiteralThatFitsMovz_BecomesMovz) {
  EXPECT_THAT(words(assemble("ldr x2, =0x84000000\n", "t.S")), ElementsAre(0xd2b08002u));
}

TEST(Assemble, LocalBranchBackwards_IsResolvedByTheAssembler) {
  EXPECT_THAT(words(assemble("loop: subs x0, x0, #1\nb.ne loop\nret\n", "t.S")),
              ElementsAre(0xf1000400u, 0x54ffffe1u, 0xd65f03c0u));
}

TEST(Assemble, ForwardBranchAndAdr_AreResolved) {
  // b +8; adr x0, +4 (from offset 4); nop
  EXPECT_THAT(words(assemble("b done\nadr x0, done\ndone: nop\n", "t.S")),
              ElementsAre(0x14000002u, 0x10000020u, 0xd503201fu));
}

TEST(Assemble, MacrosAndEqu_Expand) {
  const char* source =
      ".equ FFA_VERSION, 0x84000063\n"
      ".macro CALL fid\n"
      "  ldr w0, =\\fid\n"
      "  smc #0\n"
      ".endm\n"
      "CALL FFA_VERSION\n";
  EXPECT_THAT(words(assemble(source, "t.S")), ElementsAre(0x18000040u, 0xd4000003u, 0x84000063u));
}

TEST(Assemble, Symbols_HaveAbsoluteAddressesAtBase) {
  const Image image =
      assemble("_start: nop\nmiddle: nop\n.globl entry\nentry: ret\n", "t.S", 0x4000'0000);
  ASSERT_EQ(image.symbols.size(), 3u);
  EXPECT_EQ(image.symbols[0].name, "_start");
  EXPECT_EQ(image.symbols[0].address, 0x4000'0000u);
  EXPECT_EQ(image.symbols[1].name, "middle");
  EXPECT_EQ(image.symbols[1].address, 0x4000'0004u);
  EXPECT_EQ(image.symbols[2].name, "entry");
  EXPECT_EQ(image.symbols[2].address, 0x4000'0008u);
  EXPECT_EQ(image.symbol("entry"), 0x4000'0008u);
  EXPECT_TRUE(image.has_symbol("middle"));
  EXPECT_FALSE(image.has_symbol("nowhere"));
}

TEST(Assemble, Symbols_LeaveOutTemporaryMappingAndAbsoluteSymbols) {
  const Image image = assemble(".equ VALUE, 7\nentry: nop\n1: b 1b\n.Llocal: .word VALUE\n", "t.S");
  ASSERT_EQ(image.symbols.size(), 1u);
  EXPECT_EQ(image.symbols[0].name, "entry");
}

TEST(Assemble, MissingSymbol_ThrowsOutOfRangeNamingIt) {
  const Image image = assemble("entry: nop\n", "guest.S");
  try {
    (void)image.symbol("arm_smccc_1_2_smc");
    FAIL() << "expected std::out_of_range";
  } catch (const std::out_of_range& e) {
    EXPECT_THAT(e.what(), HasSubstr("'arm_smccc_1_2_smc'"));
    EXPECT_THAT(e.what(), HasSubstr("guest.S"));
  }
}

TEST(Assemble, EmptySource_GivesEmptyImage) {
  const Image image = assemble("", "empty.S", 0x1000);
  EXPECT_THAT(image.bytes, IsEmpty());
  EXPECT_THAT(image.symbols, IsEmpty());
}

TEST(Assemble, CommentsOnly_GiveEmptyImage) {
  EXPECT_THAT(assemble("// nothing\n/* at all */\n\n", "t.S").bytes, IsEmpty());
}

TEST(Assemble, ParseError_ReportsFileLineColumn) {
  const std::vector<Diagnostic> d = diagnostics_of("mov x0, #1\nsmc x1\nhvc #0x10000\n", "bad.S");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].file, "bad.S");
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 5);
  EXPECT_EQ(d[0].kind, "error");
  EXPECT_EQ(d[0].message, "immediate must be an integer in range [0, 65535].");
  EXPECT_EQ(d[0].source_line, "smc x1");
  EXPECT_EQ(d[0].str(),
            "bad.S:2:5: error: immediate must be an integer in range [0, 65535].\n"
            "smc x1\n"
            "    ^");
  EXPECT_EQ(d[1].file, "bad.S");
  EXPECT_EQ(d[1].line, 3);
  EXPECT_EQ(d[1].column, 5);
  EXPECT_EQ(d[1].kind, "error");
  EXPECT_EQ(d[1].message, "immediate must be an integer in range [0, 65535].");
  EXPECT_EQ(d[1].source_line, "hvc #0x10000");
}

TEST(Assemble, ParseError_WhatHoldsEveryDiagnostic) {
  try {
    assemble("smc x1\nhvc #0x10000\n", "bad.S");
    FAIL() << "expected AssemblyError";
  } catch (const AssemblyError& e) {
    EXPECT_EQ(std::string(e.what()), e.diagnostics()[0].str() + "\n" + e.diagnostics()[1].str());
  }
}

TEST(Assemble, UnknownMnemonic_SuggestsSpelling) {
  const std::vector<Diagnostic> d = diagnostics_of("  nopx\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_THAT(d[0].message, HasSubstr("did you mean"));
  EXPECT_THAT(d[0].message, HasSubstr("nop"));
}

TEST(Assemble, FixupOutOfRange_ReportedThroughContextWithLine) {
  const std::vector<Diagnostic> d =
      diagnostics_of("nop\n  b.eq far\n.space 0x200000\nfar: nop\n", "range.S");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "range.S");
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_EQ(d[0].message, "fixup value out of range");
  EXPECT_EQ(d[0].source_line, "  b.eq far");
}

TEST(Assemble, ErrorInsideMacro_PointsAtTheCallSite) {
  const char* source =
      ".macro M instr\n"
      "  \\instr #0\n"
      ".endm\n"
      "  M smc\n"
      "  M foo\n";
  const std::vector<Diagnostic> d = diagnostics_of(source);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 5);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_EQ(d[0].source_line, "  M foo");
  EXPECT_EQ(d[0].message, "unrecognized instruction mnemonic (in macro expansion: `foo #0`)");
}

TEST(Assemble, LayoutErrorInsideMacro_PointsAtTheCallSite) {
  const char* source =
      ".macro BRANCH\n"
      "  b.eq far\n"
      ".endm\n"
      "BRANCH\n"
      ".space 0x200000\n"
      "far: nop\n";
  const std::vector<Diagnostic> d = diagnostics_of(source);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_EQ(d[0].message, "fixup value out of range (in macro expansion: `b.eq far`)");
}

TEST(Assemble, OnlyErrors_Throw) {
  EXPECT_THROW(assemble("foo bar baz\n", "t.S"), AssemblyError);
}

TEST(Assemble, ErrorDirective_IsAnError) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.error \"stop here\"\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].message, "stop here");
}

TEST(Diagnostic, Str_KeepsTabsSoTheCaretLinesUp) {
  Diagnostic d;
  d.file = "t.S";
  d.line = 3;
  d.column = 6;
  d.kind = "error";
  d.message = "bad";
  d.source_line = "\tsmc\tx1";
  EXPECT_EQ(d.str(), "t.S:3:6: error: bad\n\tsmc\tx1\n\t   \t^");
}

TEST(Diagnostic, Str_WithoutLine_IsFileAndMessageOnly) {
  Diagnostic d;
  d.file = "t.S";
  d.kind = "error";
  d.message = "base is misaligned";
  EXPECT_EQ(d.str(), "t.S: error: base is misaligned");
}

}  // namespace
}  // namespace ffaemu::guest
