#include "ffa_core/linux/mm/page_alloc.h"

#include <algorithm>
#include <stdexcept>

namespace ffaemu::lnx {

PageAllocator::PageAllocator(uint64_t base, uint64_t size, uint64_t page_size)
    : base_(base), page_size_(page_size) {
  if (page_size != 4096 && page_size != 16384 && page_size != 65536) {
    throw std::invalid_argument("PageAllocator: PAGE_SIZE must be 4K, 16K or 64K");
  }
  if (base % page_size != 0) throw std::invalid_argument("PageAllocator: base not page-aligned");
  used_.assign(size / page_size, false);
}

std::optional<uint64_t> PageAllocator::alloc_pages_exact(uint64_t bytes) {
  if (fail_after_ == 0) {
    fail_after_ = -1;
    return std::nullopt;
  }
  const size_t n = page_align(bytes) / page_size_;
  for (size_t first = 0; n > 0 && first + n <= used_.size(); ++first) {
    auto begin = used_.begin() + static_cast<std::ptrdiff_t>(first);
    if (std::none_of(begin, begin + static_cast<std::ptrdiff_t>(n), [](bool u) { return u; })) {
      std::fill(begin, begin + static_cast<std::ptrdiff_t>(n), true);
      if (fail_after_ > 0) --fail_after_;
      return base_ + first * page_size_;
    }
  }
  return std::nullopt;
}

void PageAllocator::free_pages_exact(uint64_t addr, uint64_t bytes) {
  const size_t first = (addr - base_) / page_size_;
  const size_t n = page_align(bytes) / page_size_;
  for (size_t i = first; i < first + n && i < used_.size(); ++i)
    used_[i] = false;
}

uint64_t PageAllocator::used_pages() const {
  return static_cast<uint64_t>(std::count(used_.begin(), used_.end(), true));
}

}  // namespace ffaemu::lnx
