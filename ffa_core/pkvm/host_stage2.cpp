#include "ffa_core/pkvm/host_stage2.h"

#include "ffa_core/pkvm/config.h"
#include "ffa_core/pkvm/hyp_fault.h"

namespace ffaemu::pkvm {
namespace {

// Memory the kernel's memblock describes: everything EL1 can map, plus the hyp carve-out (donated
// to the hyp at __pkvm_init, so host NOPAGE). Secure memory is not the kernel's.
bool is_memory(const emu::RegionSpec* r) {
  return r != nullptr && r->kind != emu::RegionKind::SecureRam;
}

}  // namespace

const char* page_owner_name(PageOwner owner) {
  switch (owner) {
    case PageOwner::Owned:
      return "owned";
    case PageOwner::SharedWithHyp:
      return "shared-with-hyp";
    case PageOwner::SharedWithFfa:
      return "shared-with-ffa";
    case PageOwner::NotHost:
      return "not-host";
  }
  return "?";
}

const char* stage2_op_name(Stage2Op op) {
  switch (op) {
    case Stage2Op::ShareHyp:
      return "__pkvm_host_share_hyp";
    case Stage2Op::UnshareHyp:
      return "__pkvm_host_unshare_hyp";
    case Stage2Op::Pin:
      return "hyp_pin_shared_mem";
    case Stage2Op::Unpin:
      return "hyp_unpin_shared_mem";
    case Stage2Op::ShareFfa:
      return "__pkvm_host_share_ffa";
    case Stage2Op::UnshareFfa:
      return "__pkvm_host_unshare_ffa";
  }
  return "?";
}

HostStage2::HostStage2(uint64_t page_size, const emu::GuestMemory& memory)
    : page_size_(page_size), memory_(memory) {}

std::optional<HostStage2::Page> HostStage2::page(uint64_t pfn) const {
  if (auto it = pages_.find(pfn); it != pages_.end()) return it->second;
  const emu::RegionSpec* r = memory_.find(emu::PhysAddr{pfn * page_size_}, 1);
  if (!is_memory(r)) return std::nullopt;
  Page p;
  if (r->kind == emu::RegionKind::HypRam) p.host = HostState::NoPage;
  return p;
}

// check_range_allowed_memory(): [start, end) must sit in one memblock region (or one gap), and
// that region must be memory.
int HostStage2::check_range_allowed_memory(uint64_t start, uint64_t end) const {
  const emu::RegionSpec* first = memory_.find(emu::PhysAddr{start}, 1);
  const emu::RegionSpec* last = memory_.find(emu::PhysAddr{end - 1}, 1);
  if (first != last) return -kEinval;
  if (!is_memory(first)) return -kEperm;
  return 0;
}

int HostStage2::check_host_state(uint64_t pfn, uint64_t nr_pages, HostState state) const {
  uint64_t start = pfn * page_size_;
  if (int ret = check_range_allowed_memory(start, start + nr_pages * page_size_)) return ret;
  for (uint64_t i = 0; i < nr_pages; ++i) {
    std::optional<Page> p = page(pfn + i);
    if (!p || p->host != state) return -kEperm;
  }
  return 0;
}

void HostStage2::set_host_state(uint64_t pfn, uint64_t nr_pages, HostState state) {
  for (uint64_t i = 0; i < nr_pages; ++i) {
    Page p = *page(pfn + i);
    p.host = state;
    pages_[pfn + i] = p;
  }
}

std::optional<int> HostStage2::injected(Stage2Op op) {
  auto it = injected_.find(op);
  if (it == injected_.end()) return std::nullopt;
  if (it->second.after > 0) {
    --it->second.after;
    return std::nullopt;
  }
  int err = it->second.err;
  injected_.erase(it);
  return err;
}

int HostStage2::record(Stage2Op op, uint64_t pfn, uint64_t nr_pages, int ret) {
  journal_.push_back({op, pfn * page_size_, nr_pages, ret});
  return ret;
}

void HostStage2::fail_next(Stage2Op op, int err, int after) {
  injected_[op] = {after, err};
}

int HostStage2::host_share_hyp(uint64_t pfn) {
  if (auto err = injected(Stage2Op::ShareHyp)) return record(Stage2Op::ShareHyp, pfn, 1, *err);
  int ret = check_host_state(pfn, 1, HostState::Owned);
  if (ret == 0) {
    set_host_state(pfn, 1, HostState::SharedOwned);
    pages_[pfn].hyp_borrowed = true;
  }
  return record(Stage2Op::ShareHyp, pfn, 1, ret);
}

int HostStage2::host_unshare_hyp(uint64_t pfn) {
  if (auto err = injected(Stage2Op::UnshareHyp)) return record(Stage2Op::UnshareHyp, pfn, 1, *err);
  int ret = check_host_state(pfn, 1, HostState::SharedOwned);
  if (ret == 0 && !page(pfn)->hyp_borrowed) ret = -kEperm;
  if (ret == 0 && page(pfn)->refcount != 0) ret = -kEbusy;
  if (ret == 0) {
    set_host_state(pfn, 1, HostState::Owned);
    pages_[pfn].hyp_borrowed = false;
  }
  return record(Stage2Op::UnshareHyp, pfn, 1, ret);
}

int HostStage2::hyp_pin_shared_mem(uint64_t phys) {
  uint64_t pfn = phys / page_size_;
  if (auto err = injected(Stage2Op::Pin)) return record(Stage2Op::Pin, pfn, 1, *err);
  int ret = check_host_state(pfn, 1, HostState::SharedOwned);
  if (ret == 0 && !page(pfn)->hyp_borrowed) ret = -kEperm;
  if (ret == 0) ++pages_[pfn].refcount;
  return record(Stage2Op::Pin, pfn, 1, ret);
}

void HostStage2::hyp_unpin_shared_mem(uint64_t phys) {
  uint64_t pfn = phys / page_size_;
  record(Stage2Op::Unpin, pfn, 1, 0);
  auto it = pages_.find(pfn);
  // hyp_page_ref_dec() BUG()s on a zero refcount.
  if (it == pages_.end() || it->second.refcount == 0) {
    throw HypPanic("hyp_unpin_shared_mem: refcount of an unpinned page would underflow");
  }
  --it->second.refcount;
}

int HostStage2::host_share_ffa(uint64_t pfn, uint64_t nr_pages) {
  if (auto err = injected(Stage2Op::ShareFfa)) {
    return record(Stage2Op::ShareFfa, pfn, nr_pages, *err);
  }
  int ret = check_host_state(pfn, nr_pages, HostState::Owned);
  if (ret == 0) set_host_state(pfn, nr_pages, HostState::SharedOwned);
  return record(Stage2Op::ShareFfa, pfn, nr_pages, ret);
}

// Like the kernel, only the host side is checked: SHARED_OWNED is the same state whether the page
// went to the hyp or to FF-A.
int HostStage2::host_unshare_ffa(uint64_t pfn, uint64_t nr_pages) {
  if (auto err = injected(Stage2Op::UnshareFfa)) {
    return record(Stage2Op::UnshareFfa, pfn, nr_pages, *err);
  }
  int ret = check_host_state(pfn, nr_pages, HostState::SharedOwned);
  if (ret == 0) set_host_state(pfn, nr_pages, HostState::Owned);
  return record(Stage2Op::UnshareFfa, pfn, nr_pages, ret);
}

PageOwner HostStage2::owner(uint64_t phys) const {
  std::optional<Page> p = page(phys / page_size_);
  if (!p || p->host == HostState::NoPage) return PageOwner::NotHost;
  if (p->host == HostState::Owned) return PageOwner::Owned;
  return p->hyp_borrowed ? PageOwner::SharedWithHyp : PageOwner::SharedWithFfa;
}

uint32_t HostStage2::pin_count(uint64_t phys) const {
  std::optional<Page> p = page(phys / page_size_);
  return p ? p->refcount : 0;
}

}  // namespace ffaemu::pkvm
