// The bundled scenarios and the default matrix hold: each scenario's expectations and every
// matrix rule are met by the models.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "cli/app.h"

namespace ffaemu::cli {
namespace {

namespace fs = std::filesystem;

int run(std::vector<std::string> args, std::string& output) {
  std::ostringstream out, err;
  int status = ffaemu_main(args, out, err);
  output = out.str() + err.str();
  return status;
}

TEST(Scenarios, EveryBundledScenario_MeetsItsExpectations) {
  size_t count = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(FFAEMU_SOURCE_DIR) / "scenarios")) {
    // matrix.yaml and matrix-*.yaml are matrix files, run by the tests below.
    if (entry.path().extension() != ".yaml" ||
        entry.path().filename().string().starts_with("matrix")) {
      continue;
    }
    std::string output;
    EXPECT_EQ(run({"run", entry.path().string()}, output), kExitOk) << output;
    ++count;
  }
  EXPECT_GE(count, 4u);
}

TEST(Scenarios, DefaultMatrix_AllCombinationsPass) {
  std::string output;
  EXPECT_EQ(run({"matrix", "--jobs", "2"}, output), kExitOk) << output;
  // pkvm x driver x link-order x smccc-version x spmc x ffa-version x rxtx-min x page-size.
  EXPECT_NE(output.find("2160 combinations, 2160 passed, 0 failed"), std::string::npos) << output;
}

// The matrices that cover what the default one fixes: the HVC conduit (pkvm on only; pkvm off
// cannot boot on it) and IMA's late_initcall_sync retry.
TEST(Scenarios, ExtraMatrices_AllCombinationsPass) {
  const fs::path dir = fs::path(FFAEMU_SOURCE_DIR) / "scenarios";
  for (auto [file, count] : {std::pair{"matrix-hvc.yaml", "120"},
                             {"matrix-hvc-no-el2.yaml", "20"},
                             {"matrix-ima.yaml", "240"}}) {
    std::string output;
    EXPECT_EQ(run({"matrix", (dir / file).string(), "--jobs", "2"}, output), kExitOk) << output;
    EXPECT_NE(output.find(std::string(count) + " combinations, " + count + " passed, 0 failed"),
              std::string::npos)
        << file << "\n"
        << output;
  }
}

TEST(Scenarios, MatrixShards_PartitionTheCombinations) {
  std::string a, b;
  ASSERT_EQ(run({"matrix", "--shard", "1/2", "--json"}, a), kExitOk);
  ASSERT_EQ(run({"matrix", "--shard", "2/2", "--json"}, b), kExitOk);
  auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  EXPECT_EQ(lines(a), 1080);
  EXPECT_EQ(lines(b), 1080);
  EXPECT_NE(a, b);
  // Together the shards are the whole matrix, each combination once.
  std::string all;
  ASSERT_EQ(run({"matrix", "--json"}, all), kExitOk);
  auto sorted_lines = [](const std::string& s) {
    std::vector<std::string> out;
    std::istringstream in(s);
    for (std::string line; std::getline(in, line);)
      out.push_back(line);
    std::sort(out.begin(), out.end());
    return out;
  };
  EXPECT_EQ(sorted_lines(a + b), sorted_lines(all));
}

TEST(Scenarios, MatrixWithAWrongExpectation_FailsAndShowsTheDifference) {
  fs::path file = fs::temp_directory_path() / "ffaemu_wrong_matrix.yaml";
  {
    std::ofstream out(file);
    out << "axes:\n  driver: [platform-driver-probe]\nexpect:\n  - then: {ffa_ready: true}\n";
  }
  std::string output;
  EXPECT_EQ(run({"matrix", file.string()}, output), kExitFailed);
  EXPECT_NE(output.find("FAIL driver=platform-driver-probe: ffa_ready: expected true, got false"),
            std::string::npos)
      << output;
  fs::remove(file);
}

TEST(Scenarios, SystemOptionOnTheCommandLine_NarrowsTheMatrixAxes) {
  std::string output;
  EXPECT_EQ(run({"matrix", "--pkvm", "on", "--driver", "platform-driver-probe"}, output), kExitOk);
  EXPECT_NE(output.find("216 combinations, 216 passed, 0 failed"), std::string::npos) << output;
  EXPECT_EQ(output.find("\noff "), std::string::npos);
}

TEST(Scenarios, BadShard_IsAUsageError) {
  std::string output;
  EXPECT_EQ(run({"matrix", "--shard", "3/2"}, output), kExitUsage);
  EXPECT_NE(output.find("bad --shard '3/2'"), std::string::npos);
}

}  // namespace
}  // namespace ffaemu::cli
