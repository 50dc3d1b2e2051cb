// Linking at a base: relocations MC leaves are applied within .text or reported with the
// symbol's name and where the source uses it; content outside .text is an error.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest {
namespace {

using ::testing::HasSubstr;

uint32_t word_at(const Image& image, size_t offset) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i)
    value |= uint32_t{image.bytes.at(offset + i)} << (8 * i);
  return value;
}

uint64_t quad_at(const Image& image, size_t offset) {
  return uint64_t{word_at(image, offset)} | uint64_t{word_at(image, offset + 4)} << 32;
}

std::vector<Diagnostic> diagnostics_of(std::string_view source, uint64_t base = 0) {
  try {
    assemble(source, "t.S", base);
  } catch (const AssemblyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected an AssemblyError for:\n" << source;
  return {};
}

constexpr const char* kPointerTable =
    "start: nop\n"
    "nop\n"
    "table: .quad start\n"
    ".quad table + 4\n";

TEST(Relocation, QuadOfLabel_IsLinkedAtBase) {
  const Image image = assemble(kPointerTable, "t.S", 0x1000);
  EXPECT_EQ(quad_at(image, 8), 0x1000u);
  EXPECT_EQ(quad_at(image, 16), 0x100cu);
}

TEST(Relocation, QuadOfLabel_FollowsADifferentBase) {
  const Image image = assemble(kPointerTable, "t.S", 0x8000'0000);
  EXPECT_EQ(quad_at(image, 8), 0x8000'0000u);
  EXPECT_EQ(quad_at(image, 16), 0x8000'000cu);
}

TEST(Relocation, LiteralPoolAddressOfLabel_IsLinkedAtBase) {
  const Image image = assemble("entry: ldr x1, =entry\nret\n", "t.S", 0x4000'0000);
  EXPECT_EQ(word_at(image, 0), 0x58000041u);  // ldr x1, pool (8 bytes ahead)
  EXPECT_EQ(quad_at(image, 8), 0x4000'0000u);
}

TEST(Relocation, WordOfLabel_IsLinkedAtBase) {
  const Image image = assemble("entry: nop\n.word entry + 8\n", "t.S", 0x2000);
  EXPECT_EQ(word_at(image, 4), 0x2008u);
}

TEST(Relocation, WordOfLabelAbove4GiB_IsOutOfRange) {
  const std::vector<Diagnostic> d = diagnostics_of("entry: nop\n  .word entry\n", 0x1'0000'0000);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 9);
  EXPECT_THAT(d[0].message, HasSubstr("R_AARCH64_ABS32"));
  EXPECT_THAT(d[0].message, HasSubstr("'entry'"));
  EXPECT_THAT(d[0].message, HasSubstr("out of range"));
}

TEST(Relocation, BranchesToGlobalLabel_AreResolvedWithinText) {
  // MC keeps relocations for PC-relative references to global symbols (they could be
  // preempted); the linker resolves them within .text.
  const Image image = assemble(".globl f\nf: ret\nbl f\nb f\ncbz x0, f\ntbz x1, #3, f\n", "t.S");
  EXPECT_EQ(word_at(image, 4), 0x97ffffffu);   // bl -4
  EXPECT_EQ(word_at(image, 8), 0x17fffffeu);   // b -8
  EXPECT_EQ(word_at(image, 12), 0xb4ffffa0u);  // cbz x0, -12
  EXPECT_EQ(word_at(image, 16), 0x361fff81u);  // tbz x1, #3, -16
}

TEST(Relocation, AdrpAndLo12_FollowTheBaseAcrossAPage) {
  constexpr const char* kSource =
      "adrp x0, f\n"
      "add x0, x0, :lo12:f\n"
      "ldr x1, [x0, :lo12:f]\n"
      "ret\n"
      ".balign 8\n"
      "f: .quad 0\n";
  const Image low = assemble(kSource, "t.S", 0x1234'5ff8);   // f = 0x12346008, next page
  EXPECT_EQ(word_at(low, 0), 0xb0000000u);                   // adrp x0, +1 page
  EXPECT_EQ(word_at(low, 4), 0x91002000u);                   // add x0, x0, #0x8
  EXPECT_EQ(word_at(low, 8), 0xf9400401u);                   // ldr x1, [x0, #8]
  const Image high = assemble(kSource, "t.S", 0x1234'5f00);  // f = 0x12345f10, same page
  EXPECT_EQ(word_at(high, 0), 0x90000000u);
  EXPECT_EQ(word_at(high, 4), 0x913c4000u);  // add x0, x0, #0xf10
  EXPECT_EQ(word_at(high, 8), 0xf9478801u);  // ldr x1, [x0, #0xf10]
}

TEST(Relocation, MovzMovkOfLabel_BuildTheAbsoluteAddress) {
  const Image image =
      assemble("entry: movz x0, #:abs_g1:entry\nmovk x0, #:abs_g0_nc:entry\n", "t.S", 0x1234'5000);
  EXPECT_EQ(word_at(image, 0), 0xd2a24680u);  // movz x0, #0x1234, lsl #16
  EXPECT_EQ(word_at(image, 4), 0xf28a0000u);  // movk x0, #0x5000
}

TEST(Relocation, UndefinedSymbolViaBl_NamesSymbolAndUse) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n  bl ext_func\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].file, "t.S");
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 6);
  EXPECT_EQ(d[0].kind, "error");
  EXPECT_EQ(d[0].message, "undefined symbol 'ext_func' (R_AARCH64_CALL26)");
  EXPECT_EQ(d[0].str(),
            "t.S:2:6: error: undefined symbol 'ext_func' (R_AARCH64_CALL26)\n"
            "  bl ext_func\n"
            "     ^");
}

TEST(Relocation, UndefinedSymbolsViaAdrAndQuad_AreAllReported) {
  const std::vector<Diagnostic> d = diagnostics_of("adr x0, nowhere\nnop\n.quad elsewhere\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_EQ(d[0].column, 9);
  EXPECT_EQ(d[0].message, "undefined symbol 'nowhere' (R_AARCH64_ADR_PREL_LO21)");
  EXPECT_EQ(d[1].line, 3);
  EXPECT_EQ(d[1].column, 7);
  EXPECT_EQ(d[1].message, "undefined symbol 'elsewhere' (R_AARCH64_ABS64)");
}

TEST(Relocation, UndefinedSymbolInMacro_PointsAtTheCallSiteArgument) {
  const std::vector<Diagnostic> d =
      diagnostics_of(".macro CALL target\n  bl \\target\n.endm\nnop\nCALL missing_fn\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 5);
  EXPECT_EQ(d[0].column, 6);
  EXPECT_EQ(d[0].message, "undefined symbol 'missing_fn' (R_AARCH64_CALL26)");
}

TEST(Relocation, LoadFromDataSection_ReportsSymbolAndSection) {
  const std::vector<Diagnostic> d = diagnostics_of("ldr x0, val\n.data\nval: .quad 1\n");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_EQ(d[0].column, 9);
  EXPECT_EQ(d[0].message, "'val' is defined in section '.data', but a guest image is .text only");
  EXPECT_EQ(d[1].line, 2);
  EXPECT_EQ(d[1].column, 1);
  EXPECT_THAT(d[1].message, HasSubstr("section '.data' holds 8 bytes"));
}

TEST(Relocation, DataSectionWithContent_IsAnError) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.data\n.word 5\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 1);
  EXPECT_EQ(d[0].message,
            "section '.data' holds 4 bytes, but a guest image is .text only (put data in .text "
            "after .balign 8)");
}

TEST(Relocation, BssSpace_IsAnErrorAtTheSpace) {
  const std::vector<Diagnostic> d = diagnostics_of(".bss\nbuf: .space 64\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_THAT(d[0].message, HasSubstr("section '.bss' holds 64 bytes"));
}

TEST(Relocation, OtherNamedSection_IsAnErrorAtItsDirective) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.section .rodata, \"a\"\n.byte 1\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_THAT(d[0].message, HasSubstr("section '.rodata' holds 1 byte,"));
}

TEST(Relocation, EmptyDataSection_IsFine) {
  EXPECT_EQ(assemble(".data\n.text\nnop\n", "t.S").bytes.size(), 4u);
}

TEST(Relocation, CommonSymbol_IsAnErrorAtItsDirective) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.comm buf, 64\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_THAT(d[0].message, HasSubstr("common symbol 'buf'"));
}

TEST(Relocation, BaseBelowTextAlignment_IsAnError) {
  const std::vector<Diagnostic> d = diagnostics_of(".balign 16\nnop\n", 0x1004);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 0);
  EXPECT_EQ(d[0].message, "base 0x1004 is not aligned to the 16-byte alignment .text asks for");
}

}  // namespace
}  // namespace ffaemu::guest
