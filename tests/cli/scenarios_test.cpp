// The bundled scenarios and the default matrix hold: each scenario's expectations and every
// matrix rule are met by the models.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

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
    if (entry.path().extension() != ".yaml" || entry.path().filename() == "matrix.yaml") continue;
    std::string output;
    EXPECT_EQ(run({"run", entry.path().string()}, output), kExitOk) << output;
    ++count;
  }
  EXPECT_GE(count, 4u);
}

TEST(Scenarios, DefaultMatrix_AllCombinationsPass) {
  std::string output;
  EXPECT_EQ(run({"matrix", "--jobs", "2"}, output), kExitOk) << output;
  EXPECT_NE(output.find("20 combinations, 20 passed, 0 failed"), std::string::npos) << output;
}

TEST(Scenarios, MatrixShards_PartitionTheCombinations) {
  std::string a, b;
  ASSERT_EQ(run({"matrix", "--shard", "1/2", "--json"}, a), kExitOk);
  ASSERT_EQ(run({"matrix", "--shard", "2/2", "--json"}, b), kExitOk);
  auto lines = [](const std::string& s) { return std::count(s.begin(), s.end(), '\n'); };
  EXPECT_EQ(lines(a), 10);
  EXPECT_EQ(lines(b), 10);
  EXPECT_NE(a, b);
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

TEST(Scenarios, BadShard_IsAUsageError) {
  std::string output;
  EXPECT_EQ(run({"matrix", "--shard", "3/2"}, output), kExitUsage);
  EXPECT_NE(output.find("bad --shard '3/2'"), std::string::npos);
}

}  // namespace
}  // namespace ffaemu::cli
