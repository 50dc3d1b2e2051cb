#include "ffa_core/abi/observer.h"

#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace ffaemu::ffa {
namespace {

constexpr char kSpmd[] = "spmd";

TEST(HopName, FromLiteral_ViewsTheLiteralItself) {
  constexpr HopName name(kSpmd);
  EXPECT_EQ(name.view().data(), kSpmd);
  EXPECT_EQ(name.view(), "spmd");
  EXPECT_FALSE(name.empty());
}

TEST(HopName, Default_IsEmpty) {
  EXPECT_TRUE(HopName().empty());
  EXPECT_EQ(HopName().view(), "");
}

TEST(HopName, Keep_OutlivesTheTextItWasMadeFrom) {
  std::string text = "sp:test@0x8123";
  HopName kept = HopName::keep(text);
  text.assign("overwritten, and long enough to leave the small-string buffer");
  EXPECT_EQ(kept.view(), "sp:test@0x8123");
  EXPECT_NE(kept.view().data(), text.data());
}

TEST(HopName, Keep_SameTextTwice_GivesTheSameCopy) {
  HopName a = HopName::keep(std::string("pkvm:a+pkvm:b"));
  HopName b = HopName::keep(std::string("pkvm:a+pkvm:b"));
  EXPECT_EQ(a.view().data(), b.view().data());
  EXPECT_NE(HopName::keep("pkvm:a+pkvm:c").view().data(), a.view().data());
}

TEST(HopName, Equality_ComparesText) {
  EXPECT_EQ(HopName::keep(std::string("spmd")), HopName(kSpmd));
  EXPECT_NE(HopName::keep(std::string("spmc")), HopName(kSpmd));
}

TEST(HopName, Keep_FromManyThreads_GivesOneCopy) {
  std::vector<const char*> seen(8);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back(
        [&seen, i] { seen[i] = HopName::keep(std::string("sp:threads@0x8001")).view().data(); });
  }
  for (std::thread& t : threads)
    t.join();
  for (const char* p : seen)
    EXPECT_EQ(p, seen[0]);
}

}  // namespace
}  // namespace ffaemu::ffa
