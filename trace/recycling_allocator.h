// An allocator that keeps the last few blocks freed on each thread and hands them out again for
// a request of the same size. A boot's call records fill one buffer of a few dozen kilobytes;
// taking it from malloc in the middle of a boot cost glibc a few thousand instructions (it sorts
// its unsorted bin and consolidates its fast bins for any request of 1 KiB or more, and a boot
// has just freed over a thousand small blocks). The next boot finds the last one's buffer here.
#pragma once

#include <cstddef>

namespace ffaemu::trace {

namespace recycling {
// A block of `bytes`: one this thread freed earlier with that size, or a new one.
[[nodiscard]] void* take(size_t bytes);
// Keeps `block` for this thread's next take() of `bytes`; frees the oldest kept when full.
void give(void* block, size_t bytes) noexcept;
}  // namespace recycling

template <typename T>
struct RecyclingAllocator {
  using value_type = T;

  RecyclingAllocator() = default;
  template <typename U>
  explicit RecyclingAllocator(const RecyclingAllocator<U>&) {}

  [[nodiscard]] T* allocate(size_t n) {
    static_assert(alignof(T) <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
    return static_cast<T*>(recycling::take(n * sizeof(T)));
  }
  void deallocate(T* p, size_t n) noexcept { recycling::give(p, n * sizeof(T)); }

  friend bool operator==(const RecyclingAllocator&, const RecyclingAllocator&) { return true; }
};

}  // namespace ffaemu::trace
