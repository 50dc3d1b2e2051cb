#include "trace/recycling_allocator.h"

#include <array>
#include <cstdint>
#include <new>

namespace ffaemu::trace::recycling {
namespace {

struct Kept {
  void* block = nullptr;
  size_t bytes = 0;
  uint64_t when = 0;  // when it was given: the smallest is the oldest
};

// Set once this thread's cache is gone: a block freed later (by an object destroyed after the
// thread's own thread_local objects) goes straight back to the heap.
thread_local bool cache_gone = false;

// A few blocks per thread; freed when the thread ends.
struct Cache {
  std::array<Kept, 4> kept{};
  uint64_t clock = 0;
  Cache() = default;
  Cache(const Cache&) = delete;
  Cache& operator=(const Cache&) = delete;
  ~Cache() {
    for (Kept& k : kept)
      ::operator delete(k.block);
    cache_gone = true;
  }
};

thread_local Cache cache;

}  // namespace

void* take(size_t bytes) {
  if (cache_gone) return ::operator new(bytes);
  for (Kept& k : cache.kept) {
    if (k.block && k.bytes == bytes) {
      void* block = k.block;
      k = {};
      return block;
    }
  }
  return ::operator new(bytes);
}

void give(void* block, size_t bytes) noexcept {
  if (!block) return;
  if (cache_gone) {
    ::operator delete(block);
    return;
  }
  Kept* slot = &cache.kept.front();
  for (Kept& k : cache.kept) {
    if (!k.block) {
      slot = &k;
      break;
    }
    if (k.when < slot->when) slot = &k;
  }
  ::operator delete(slot->block);
  *slot = {block, bytes, ++cache.clock};
}

}  // namespace ffaemu::trace::recycling
