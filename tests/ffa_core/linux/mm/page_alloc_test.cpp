#include "ffa_core/linux/mm/page_alloc.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace ffaemu::lnx {
namespace {

TEST(PageAllocator, AllocPagesExact_RoundsToPageSizeAndIsAligned) {
  PageAllocator a(0x80000000, 0x400000, 16384);
  auto p = a.alloc_pages_exact(4096);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, 0x80000000u);
  EXPECT_EQ(a.used_pages(), 1u);
  auto q = a.alloc_pages_exact(16385);
  EXPECT_EQ(*q, 0x80004000u);
  EXPECT_EQ(a.used_pages(), 3u);
  a.free_pages_exact(*p, 4096);
  EXPECT_EQ(*a.alloc_pages_exact(16384), 0x80000000u);
}

TEST(PageAllocator, FreeWithSmallerSize_LeaksTheRest) {
  PageAllocator a(0x80000000, 0x400000, 4096);
  auto p = a.alloc_pages_exact(16384);
  a.free_pages_exact(*p, 4096);
  EXPECT_EQ(a.used_pages(), 3u);
}

TEST(PageAllocator, Exhaustion_AndInjectedFailure_ReturnNull) {
  PageAllocator a(0x80000000, 0x8000, 4096);
  EXPECT_FALSE(a.alloc_pages_exact(0x9000));
  a.fail_after(1);
  EXPECT_TRUE(a.alloc_pages_exact(4096));
  EXPECT_FALSE(a.alloc_pages_exact(4096));
  EXPECT_TRUE(a.alloc_pages_exact(4096));
}

TEST(PageAllocator, BadGeometry_Throws) {
  EXPECT_THROW(PageAllocator(0x80000000, 0x1000, 8192), std::invalid_argument);
  EXPECT_THROW(PageAllocator(0x80001000, 0x10000, 16384), std::invalid_argument);
}

}  // namespace
}  // namespace ffaemu::lnx
