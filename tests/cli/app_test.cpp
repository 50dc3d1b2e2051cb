// The ffaemu command line: exit statuses (0 success, 1 a check or the guest failed, 2 bad usage or
// input) and what each command writes.
#include "cli/app.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace ffaemu::cli {
namespace {

namespace fs = std::filesystem;

struct Result {
  int status;
  std::string out;
  std::string err;
};

Result ffaemu(std::vector<std::string> args) {
  std::ostringstream out, err;
  int status = ffaemu_main(args, out, err);
  return {status, out.str(), err.str()};
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() /
          ("ffaemu_app_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
           "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir);
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string write(const std::string& name, const std::string& text) {
    fs::path p = dir / name;
    std::ofstream(p) << text;
    return p.string();
  }
  fs::path dir;
};

using AppTest = TempDir;

TEST_F(AppTest, Asm_WritesTheRawTextBytesAtTheBase) {
  std::string src = write("g.S", "mov x0, #1\nsmc #0\n");
  std::string bin = (dir / "g.bin").string();
  Result r = ffaemu({"asm", src, "-o", bin, "--base", "0x1000"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  std::ifstream in(bin, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes,
            (std::vector<char>{0x20, 0x00, (char)0x80, (char)0xd2, 0x03, 0x00, 0x00, (char)0xd4}));
}

TEST_F(AppTest, AsmListing_ShowsSymbolsAddressesWordsAndDisassembly) {
  std::string src = write("g.S", "start:\nmov x0, #1\nsmc #0x42\n");
  Result r = ffaemu({"asm", src, "-o", (dir / "g.bin").string(), "--listing"});
  ASSERT_EQ(r.status, kExitOk);
  EXPECT_EQ(r.out,
            "start:\n"
            "  0x00000000:  d2800020  movz x0, #0x1\n"
            "  0x00000004:  d4000843  smc #0x42\n");
}

TEST_F(AppTest, AsmError_IsAUsageErrorWithFileLineAndColumn) {
  std::string src = write("bad.S", "mov x0, #1\nsmc x1\n");
  Result r = ffaemu({"asm", src, "-o", (dir / "g.bin").string()});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err.rfind(src + ":2:5: error:", 0), 0u) << r.err;
}

TEST_F(AppTest, AsmMissingInput_IsAUsageError) {
  Result r = ffaemu({"asm", (dir / "nope.S").string(), "-o", (dir / "g.bin").string()});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_NE(r.err.find("cannot read"), std::string::npos);
}

TEST_F(AppTest, AsmBadBase_IsAUsageError) {
  std::string src = write("g.S", "nop\n");
  Result r = ffaemu({"asm", src, "-o", (dir / "g.bin").string(), "--base", "0xzz"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_NE(r.err.find("bad --base '0xzz'"), std::string::npos);
}

TEST_F(AppTest, Trace_FaultingGuestExitsOneWithTheExactFault) {
  std::string src = write("f.S", ".globl _start\n_start:\nmov x1, #0x1000\nldr x2, [x1]\nret\n");
  Result r = ffaemu({"trace", src, "--trace-format", "jsonl"});
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_NE(r.err.find("read of unmapped memory at 0x1000 (8 bytes) at pc 0x40004004"),
            std::string::npos)
      << r.err;
}

TEST_F(AppTest, Trace_UnknownEntrySymbol_IsAUsageError) {
  std::string src = write("g.S", "ret\n");
  Result r = ffaemu({"trace", src, "--entry", "main"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_NE(r.err.find("no symbol 'main'"), std::string::npos);
}

TEST_F(AppTest, Trace_UnknownFormat_ListsTheValidOnes) {
  std::string src = write("g.S", "ret\n");
  Result r = ffaemu({"trace", src, "--trace-format", "xml"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_NE(r.err.find("text, jsonl, chrome, tenet, drcov"), std::string::npos) << r.err;
}

TEST_F(AppTest, RunChromeTrace_IsOneValidJsonDocument) {
  std::string file = (dir / "boot.json").string();
  Result r = ffaemu({"run", "--pkvm", "on", "--trace", file, "--trace-format", "chrome"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  std::ifstream in(file);
  nlohmann::json j = nlohmann::json::parse(in);
  EXPECT_GT(j["traceEvents"].size(), 50u);
}

TEST_F(AppTest, TraceFileInAMissingDirectory_IsAUsageErrorNamingTheFileAndTheReason) {
  std::string src = write("g.S", "ret\n");
  std::string file = (dir / "missing" / "t.jsonl").string();
  std::string want = "ffaemu: cannot write trace file '" + file + "': No such file or directory\n";
  Result r = ffaemu({"trace", src, "-o", file});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, want);
  r = ffaemu({"run", "--trace", file});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, want);
  r = ffaemu({"call", "--trace", file, "FFA_VERSION:0x10002"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, want);
}

// A full disk is reported, never a trace silently cut short.
TEST_F(AppTest, TraceFileThatCannotBeWritten_ExitsOneNamingTheFileAndTheReason) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  std::string src = write("g.S", "ret\n");
  Result r = ffaemu({"trace", src, "-o", "/dev/full"});
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_EQ(r.err, "ffaemu: cannot write trace file '/dev/full': No space left on device\n");
  r = ffaemu({"run", "--trace", "/dev/full", "--trace-format", "jsonl"});
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_EQ(r.err, "ffaemu: cannot write trace file '/dev/full': No space left on device\n");
}

TEST(App, UnknownSubcommand_IsAUsageError) {
  EXPECT_EQ(ffaemu({"frobnicate"}).status, kExitUsage);
  EXPECT_EQ(ffaemu({}).status, kExitUsage);
}

TEST(App, Help_ExitsZeroAndNamesTheSubcommands) {
  Result r = ffaemu({"--help"});
  EXPECT_EQ(r.status, kExitOk);
  for (const char* cmd : {"run", "call", "matrix", "trace", "explain", "asm"}) {
    EXPECT_NE(r.out.find(cmd), std::string::npos) << cmd;
  }
  Result sub = ffaemu({"call", "--help"});
  EXPECT_EQ(sub.status, kExitOk);
  EXPECT_NE(sub.out.find("--conduit"), std::string::npos);
}

TEST(App, BadSystemOption_IsAUsageErrorNamingTheValidSet) {
  Result r = ffaemu({"run", "--pkvm", "maybe"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "ffaemu: bad value 'maybe' for pkvm: expected off or on\n");
}

TEST(App, ExplainUnknown_IsAUsageError) {
  Result r = ffaemu({"explain", "FFA_NOPE"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_NE(r.err.find("'FFA_NOPE' is neither"), std::string::npos);
}

TEST(App, Call_StateCarriesFromCallToCall) {
  Result r = ffaemu({"call", "--pkvm", "off", "--json", "FFA_VERSION:0x10002",
                     "FFA_RXTX_MAP_64:@tx,@rx,1", "FFA_RXTX_MAP_64:@tx,@rx,1"});
  ASSERT_EQ(r.status, kExitOk);
  nlohmann::json j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["calls"].size(), 3u);
  EXPECT_EQ(j["calls"][1]["out"]["x0"], "0x84000061");
  EXPECT_EQ(j["calls"][2]["out"]["x0"], "0x84000060");
  EXPECT_EQ(j["calls"][2]["out"]["x2"], "0xfffffffa");  // DENIED, zero-extended by the SPMD
}

TEST(App, CallBadName_IsAUsageError) {
  Result r = ffaemu({"call", "FFA_VERSON"});
  EXPECT_EQ(r.status, kExitUsage);
}

TEST(App, CallThatFaults_ExitsOne) {
  Result r = ffaemu({"call", "--pkvm", "off", "--conduit", "hvc", "FFA_VERSION"});
  EXPECT_EQ(r.status, kExitFailed);
  EXPECT_NE(r.err.find("undefined instruction"), std::string::npos);
}

TEST(App, RunMissingScenario_IsAUsageError) {
  Result r = ffaemu({"run", "/nonexistent/s.yaml"});
  EXPECT_EQ(r.status, kExitUsage);
  EXPECT_EQ(r.err, "ffaemu: /nonexistent/s.yaml: cannot read the file\n");
}

TEST(App, RunHvcWithoutEl2_KernelPanicsAtTheHvcAndTheRunStillReports) {
  Result r = ffaemu({"run", "--pkvm", "off", "--conduit", "hvc", "--json"});
  ASSERT_EQ(r.status, kExitOk) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["outcome"]["panicked"], true);
  EXPECT_EQ(j["outcome"]["ffa_ready"], false);
  EXPECT_TRUE(j["initcalls"].empty());
  EXPECT_EQ(j["log"].back()["text"], "Kernel panic - not syncing: Oops: Fatal exception");
  EXPECT_NE(j["log"][j["log"].size() - 2]["text"].get<std::string>().find("`hvc #0`"),
            std::string::npos);
}

TEST(App, RunJson_HasTheDocumentedShape) {
  Result r = ffaemu({"run", "--driver", "platform-driver-probe", "--json"});
  ASSERT_EQ(r.status, kExitOk);
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["system"]["driver"], "platform-driver-probe");
  EXPECT_EQ(j["outcome"]["ffa_ready"], false);
  EXPECT_TRUE(j["outcome"]["ready_at"].is_null());
  EXPECT_EQ(j["outcome"]["probe_error"], -6);
  EXPECT_EQ(j["outcome"]["consumers"]["tpm"], "missing");
  ASSERT_FALSE(j["initcalls"].empty());
  EXPECT_TRUE(j["initcalls"][0].contains("level"));
  EXPECT_FALSE(j["calls"].empty());
  bool deferral_warning = false;
  for (const auto& l : j["log"])
    deferral_warning |= l["text"] == "arm-ffa arm-ffa: probe deferral not supported";
  EXPECT_TRUE(deferral_warning);
}

}  // namespace
}  // namespace ffaemu::cli
