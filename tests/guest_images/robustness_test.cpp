// assemble() on hostile input: no file access, bounded output and expansion, and every outcome
// an Image or an AssemblyError (a fuzzer will be pointed at it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "guest_images/assembler.h"

namespace ffaemu::guest {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

std::vector<Diagnostic> diagnostics_of(std::string_view source) {
  try {
    assemble(source, "t.S");
  } catch (const AssemblyError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected an AssemblyError for:\n" << source.substr(0, 200);
  return {};
}

// Assembles and accepts either outcome; anything else (another exception, a crash) fails.
void assemble_anything(const std::string& source) {
  try {
    (void)assemble(source, "fuzz.S", 0x1000);
  } catch (const AssemblyError& e) {
    for (const Diagnostic& d : e.diagnostics()) {
      ASSERT_GE(d.line, 0);
      ASSERT_GE(d.column, 0);
      ASSERT_FALSE(d.message.empty());
    }
  }
}

TEST(Robustness, Include_IsRejectedWithoutReadingTheFile) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n  .include \"/etc/hostname\"\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 3);
  EXPECT_THAT(d[0].message, StartsWith("'.include' is not supported"));
}

TEST(Robustness, IncludeInAnyCase_IsRejected) {
  const std::vector<Diagnostic> d = diagnostics_of(".InClUdE \"/etc/hostname\"\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_THAT(d[0].message, StartsWith("'.include' is not supported"));
}

TEST(Robustness, Incbin_IsRejectedWithoutReadingTheFile) {
  const std::vector<Diagnostic> d = diagnostics_of(".incbin \"/etc/passwd\", 0, 16\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_THAT(d[0].message, StartsWith("'.incbin' is not supported"));
}

TEST(Robustness, IncludeMadeByAMacro_IsRejected) {
  const std::vector<Diagnostic> d =
      diagnostics_of(".macro read what\n  .\\what \"/etc/passwd\"\n.endm\nread incbin\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_THAT(d[0].message, StartsWith("'.incbin' is not supported"));
}

TEST(Robustness, HugeSpace_IsCappedAt16MiB) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.space 0x1000001\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].column, 8);
  EXPECT_EQ(d[0].message,
            "the image would be 16777221 bytes; the limit is 16777216 bytes (16 MiB)");
}

TEST(Robustness, SpaceOfExactly16MiB_Assembles) {
  EXPECT_EQ(assemble(".space 0x1000000\n", "t.S").bytes.size(), 0x100'0000u);
}

TEST(Robustness, EnormousFill_IsRejectedBeforeLlvmLoopsOverIt) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.fill 0x7fffffffffffffff, 8, 0\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_EQ(d[0].message,
            "'.fill' of 18446744073709551615 bytes is over the 16777216-byte image limit");
}

TEST(Robustness, FillWithinLimit_Assembles) {
  const Image image = assemble(".fill 3, 4, 0xd503201f\n", "t.S");
  EXPECT_EQ(image.bytes.size(), 12u);
  EXPECT_EQ(image.bytes[11], 0xd5);
}

TEST(Robustness, EnormousBss_IsCapped) {
  EXPECT_THAT(diagnostics_of(".bss\n.space 1 << 40\n")[0].message,
              HasSubstr("the limit is 16777216 bytes"));
}

TEST(Robustness, OrgBackwards_IsOneError) {
  const std::vector<Diagnostic> d = diagnostics_of(".org 8\nnop\n.org 0\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 3);
  EXPECT_THAT(d[0].message, HasSubstr("invalid .org offset"));
}

TEST(Robustness, ErrDirective_IsAnError) {
  const std::vector<Diagnostic> d = diagnostics_of(".err\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, ".err encountered");
}

TEST(Robustness, RecursiveMacro_StopsAtLlvmNestingLimit) {
  const std::vector<Diagnostic> d = diagnostics_of(".macro m\n m\n.endm\nm\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 4);
  EXPECT_THAT(d[0].message, HasSubstr("macros cannot be nested more than 20 levels deep"));
}

TEST(Robustness, ExponentialMacros_StopAtExpansionBudget) {
  std::string source = ".macro m0\nnop\n.endm\n";
  for (int level = 1; level <= 12; ++level) {
    const std::string callee = "m" + std::to_string(level - 1);
    source += ".macro m" + std::to_string(level) + "\n" + callee + "\n" + callee + "\n" + callee +
              "\n" + callee + "\n.endm\n";
  }
  source += "m12\n";  // 4^12 expansions unbounded
  const std::vector<Diagnostic> d = diagnostics_of(source);
  ASSERT_FALSE(d.empty());
  EXPECT_THAT(d[0].message, HasSubstr("budget; macros are disabled from here on"));
}

TEST(Robustness, HugeRept_IsRejectedBeforeExpanding) {
  const std::vector<Diagnostic> d = diagnostics_of("nop\n.rept 1 << 40\nnop\n.endr\nnop\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2);
  EXPECT_THAT(d[0].message, StartsWith("'.rept' would expand to"));
}

TEST(Robustness, NestedRepts_AreBoundedTogether) {
  EXPECT_THROW(assemble(".rept 1000\n.rept 1000\n.rept 1000\nnop\n.endr\n.endr\n.endr\n", "t.S"),
               AssemblyError);
}

TEST(Robustness, SmallReptAndIrp_StillWork) {
  const Image image =
      assemble(".rept 2\n.rept 2\nnop\n.endr\n.endr\n.irp r, 1, 2\nmov x\\r, #\\r\n.endr\n", "t.S");
  ASSERT_EQ(image.bytes.size(), 24u);
  EXPECT_EQ(image.bytes[16], 0x21);  // mov x1, #1 = 0xd2800021
  EXPECT_EQ(image.bytes[20], 0x42);  // mov x2, #2 = 0xd2800042
}

TEST(Robustness, ReptWithoutEndr_IsLlvmsError) {
  const std::vector<Diagnostic> d = diagnostics_of(".rept 3\nnop\n");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].message, "no matching '.endr' in definition");
}

TEST(Robustness, DeeplyNestedExpression_IsRejectedBeforeLlvmRecurses) {
  const std::string source = ".quad " + std::string(100000, '(') + "1" + std::string(100000, ')');
  const std::vector<Diagnostic> d = diagnostics_of(source);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 1);
  EXPECT_EQ(d[0].column, 7 + 256);
  EXPECT_EQ(d[0].message, "expression nesting is deeper than 256 levels");
}

TEST(Robustness, LongUnaryChain_IsRejected) {
  EXPECT_THAT(diagnostics_of(".quad " + std::string(50000, '-') + "1\n")[0].message,
              HasSubstr("nesting"));
}

TEST(Robustness, LongOperatorChain_IsRejected) {
  std::string source = ".quad 1";
  for (int i = 0; i < 50000; ++i)
    source += "+1";
  EXPECT_THAT(diagnostics_of(source)[0].message, HasSubstr("more than 1024 operators"));
}

TEST(Robustness, DashesInComments_AreNotExpressions) {
  EXPECT_NO_THROW(assemble("// " + std::string(2000, '-') + "\n/* " + std::string(2000, '(') +
                               " */\n.ascii \"" + std::string(2000, '(') + "\"\nnop\n",
                           "t.S"));
}

TEST(Robustness, OversizedSource_IsRejected) {
  const std::vector<Diagnostic> d = diagnostics_of(std::string((1 << 20) + 1, '\n'));
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 0);
  EXPECT_THAT(d[0].message, HasSubstr("the limit is 1048576"));
}

TEST(Robustness, OddDirectives_AreErrorsNotCrashes) {
  for (const char* source :
       {".print \"hi\"\n", ".dcb.b 1000000000, 0\n", ".ds.b 1 << 40\n", ".cv_file 1 \"x\"\n",
        ".abort\n", ".section .text.other\nnop\n", ".cfi_startproc\n",
        ".file 1 \"a.c\"\n.loc 1 2\nnop\n", ".ident \"x\"\n"}) {
    EXPECT_THROW(assemble(source, "t.S"), AssemblyError) << source;
  }
}

// Each of these made LLVM 14 call report_fatal_error (exiting the process) or crash.
TEST(Robustness, InputThatAbortsLlvm_IsAnError) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {".text lbl\nnop\n", "subsection 'lbl' is not an integer literal from 0 to 8192"},
      {".data 9000\n", "subsection '9000' is not an integer literal from 0 to 8192"},
      {".pushsection .foo, lbl\n", "subsection 'lbl' is not an integer literal from 0 to 8192"},
      {".bundle_lock\n", "'.bundle_lock' is not supported"},
      {".bundle_unlock\n", "'.bundle_unlock' is not supported"},
      {".uleb128 undefined_symbol\n", "'.uleb128' and '.sleb128' take constant expressions only"},
      {".irp a, x=1\nnop\n.endr\n", "'.irp' takes no named (name=value) arguments"},
      {".irpc a, x=", "'.irpc' takes no named (name=value) arguments"},
  };
  for (const auto& [source, message] : cases) {
    const std::vector<Diagnostic> d = diagnostics_of(source);
    ASSERT_FALSE(d.empty()) << source;
    EXPECT_THAT(d[0].message, StartsWith(message)) << source;
    EXPECT_EQ(d[0].line, 1) << source;
  }
}

// LLVM 14 would close this macro, then never leave its expansion (leaking, and ignoring the rest
// of the file); the definition is reported and skipped instead.
TEST(Robustness, InvalidCharacterBeforeEndm_IsReportedAndTheRestAssembled) {
  const std::vector<Diagnostic> d = diagnostics_of(".macro m\nnop\n\x7f\xff .endm\nm\nbogus\n");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].line, 3);
  EXPECT_EQ(d[0].message, "invalid character before the '.endm' of this macro");
  EXPECT_EQ(d[1].line, 4);
  EXPECT_THAT(d[1].message, StartsWith("unrecognized instruction mnemonic"));
  EXPECT_EQ(d[2].line, 5);
}

TEST(Robustness, ValidSubsectionsAndLeb128_StillWork) {
  const Image image = assemble(".text 1\nnop\n.text 0\nret\n.uleb128 300\n.byte 0, 0\n", "t.S");
  ASSERT_EQ(image.bytes.size(), 12u);
  EXPECT_EQ(image.bytes[0], 0xc0);  // ret first: subsection 0 comes before subsection 1
  EXPECT_EQ(image.bytes[4], 0xac);  // 300 as ULEB128: 0xac 0x02
  EXPECT_EQ(image.bytes[5], 0x02);
  EXPECT_EQ(image.bytes[8], 0x1f);  // nop
}

TEST(Robustness, ManyErrors_AreCappedWithANote) {
  std::string source;
  for (int i = 0; i < 500; ++i)
    source += "bogus\n";
  const std::vector<Diagnostic> d = diagnostics_of(source);
  ASSERT_EQ(d.size(), 101u);
  EXPECT_EQ(d.back().kind, "note");
  EXPECT_THAT(d.back().message, HasSubstr("first 100"));
}

TEST(Robustness, BinaryGarbage_IsAnErrorOrAnImage) {
  std::mt19937 random(1234);
  for (int round = 0; round < 200; ++round) {
    std::string source(random() % 200, '\0');
    for (char& c : source)
      c = static_cast<char>(random());
    assemble_anything(source);
  }
}

// Random lines from assembly vocabulary: the shape of what a fuzzer starting from the built-in
// guests produces. Deterministic, so a failure reproduces.
TEST(Robustness, RandomStatements_AreAnErrorOrAnImage) {
  static constexpr std::array kTokens = {
      "nop",      "smc",        "hvc",         "ldr",    "mov",       "b",    "bl",    "adr",
      "adrp",     ".rept",      ".endr",       ".macro", ".endm",     ".irp", ".quad", ".word",
      ".space",   ".org",       ".fill",       ".data",  ".text",     ".bss", ".set",  ".balign",
      ".section", ".if",        ".endif",      ".else",  "x0",        "x1",   "w2",    "sp",
      "#0",       "#1",         "=0x84000063", "lbl",    "lbl:",      "1:",   "1b",    "1f",
      ",",        "(",          ")",           "[",      "]",         "+",    "-",     "<<",
      "\\x",      "0x7fffffff", "-1",          "\"s\"",  ":lo12:lbl", "m",    "\n",    "\n",
      "\n"};
  std::mt19937 random(42);
  for (int round = 0; round < 1500; ++round) {
    std::string source;
    const size_t length = random() % 40;
    for (size_t i = 0; i < length; ++i) {
      source += kTokens[random() % kTokens.size()];
      source += ' ';
    }
    assemble_anything(source);
  }
}

TEST(Robustness, ConcurrentAssemblies_GiveTheSameImage) {
  const std::string source = builtin_source("smccc_trampoline").data();
  const std::vector<uint8_t> expected = assemble(source, "t.S", 0x1000).bytes;
  std::vector<std::thread> threads;
  std::array<bool, 4> same{};
  for (size_t t = 0; t < same.size(); ++t) {
    threads.emplace_back([&, t] {
      bool all_same = true;
      for (int i = 0; i < 50; ++i)
        all_same &= assemble(source, "t.S", 0x1000).bytes == expected;
      same[t] = all_same;
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  for (bool s : same)
    EXPECT_TRUE(s);
}

}  // namespace
}  // namespace ffaemu::guest
