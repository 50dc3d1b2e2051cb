// The recycling allocator: a block freed on a thread comes back for that thread's next request
// of the same size, at most four are kept (the oldest goes), and a vector using it behaves as
// any vector.
#include "trace/recycling_allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <thread>
#include <vector>

namespace ffaemu::trace {
namespace {

TEST(RecyclingAllocator, FreedBlock_ComesBackForTheSameSize) {
  void* a = recycling::take(4096);
  recycling::give(a, 4096);
  void* b = recycling::take(4096);
  EXPECT_EQ(b, a);
  recycling::give(b, 4096);
}

TEST(RecyclingAllocator, FreedBlock_IsNotHandedOutForAnotherSize) {
  void* a = recycling::take(4096);
  recycling::give(a, 4096);
  void* b = recycling::take(8192);
  EXPECT_NE(b, a);
  void* c = recycling::take(4096);
  EXPECT_EQ(c, a);
  recycling::give(b, 8192);
  recycling::give(c, 4096);
}

TEST(RecyclingAllocator, AFifthBlock_PushesOutTheOldest) {
  std::vector<void*> blocks;
  for (size_t i = 0; i < 5; ++i)
    blocks.push_back(recycling::take(1000 + i));
  for (size_t i = 0; i < 5; ++i)
    recycling::give(blocks[i], 1000 + i);
  void* oldest = recycling::take(1000);  // freed when the fifth came: a new block
  for (size_t i = 1; i < 5; ++i) {
    void* kept = recycling::take(1000 + i);
    EXPECT_EQ(kept, blocks[i]) << i;
    recycling::give(kept, 1000 + i);
  }
  recycling::give(oldest, 1000);
}

// Each thread keeps its own blocks: one freed here is not taken there.
TEST(RecyclingAllocator, BlocksAreKeptPerThread) {
  void* a = recycling::take(2048);
  recycling::give(a, 2048);
  void* other = nullptr;
  std::thread([&] {
    other = recycling::take(2048);
    recycling::give(other, 2048);
  }).join();
  void* b = recycling::take(2048);
  EXPECT_EQ(b, a);
  recycling::give(b, 2048);
}

TEST(RecyclingAllocator, VectorOfTheSameCapacity_ReusesTheLastOnesBuffer) {
  using Vec = std::vector<uint64_t, RecyclingAllocator<uint64_t>>;
  const uint64_t* last = nullptr;
  for (int round = 0; round < 3; ++round) {
    Vec v;
    v.reserve(1000);
    if (round > 0) {
      EXPECT_EQ(v.data(), last) << round;
    }
    last = v.data();
    v.assign(1000, round);
  }
}

TEST(RecyclingAllocator, VectorKeepsItsElementsThroughGrowthAndCopies) {
  using Vec = std::vector<uint64_t, RecyclingAllocator<uint64_t>>;
  for (int round = 0; round < 3; ++round) {
    Vec v;
    for (uint64_t i = 0; i < 5000; ++i)
      v.push_back(i * 3 + static_cast<uint64_t>(round));
    Vec copy = v;
    ASSERT_EQ(copy.size(), 5000u);
    for (uint64_t i = 0; i < 5000; ++i)
      ASSERT_EQ(copy[i], i * 3 + static_cast<uint64_t>(round)) << i;
  }
}

}  // namespace
}  // namespace ffaemu::trace
