// The kernel's page allocator over the host-ram region: alloc_pages_exact / free_pages_exact
// (mm/page_alloc.c) at PAGE_SIZE granularity, first fit, so RX/TX buffers get real guest PAs.
// Pages are freed one by one, so freeing with a smaller size than allocated leaks the rest, as
// the kernel does (tree C's retry path, linux-ffa-pkvm.md section 3.4).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace ffaemu::lnx {

class PageAllocator {
 public:
  // Throws std::invalid_argument unless page_size is 4K/16K/64K and base is page-aligned.
  PageAllocator(uint64_t base, uint64_t size, uint64_t page_size);

  // PAGE_ALIGN(bytes) of contiguous free pages, or nullopt (the kernel's NULL).
  [[nodiscard]] std::optional<uint64_t> alloc_pages_exact(uint64_t bytes);
  void free_pages_exact(uint64_t addr, uint64_t bytes);

  [[nodiscard]] uint64_t page_size() const { return page_size_; }
  [[nodiscard]] uint64_t page_align(uint64_t bytes) const {
    return (bytes + page_size_ - 1) / page_size_ * page_size_;
  }
  [[nodiscard]] uint64_t used_pages() const;
  // Fault injection: the allocation after `after` successful ones returns nullopt.
  void fail_after(int after) { fail_after_ = after; }

 private:
  uint64_t base_;
  uint64_t page_size_;
  std::vector<bool> used_;
  int fail_after_ = -1;
};

}  // namespace ffaemu::lnx
