// The host stage-2 ownership model of pKVM's mem_protect.c: per kernel page, the host's state
// (OWNED, SHARED_OWNED, NOPAGE), whether the hyp borrows it, and the hyp pin count.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "emu/memory.h"

namespace ffaemu::pkvm {

// How a page looks from the host, derived from the kernel's page states.
enum class PageOwner : uint8_t {
  Owned,          // PKVM_PAGE_OWNED
  SharedWithHyp,  // host SHARED_OWNED, hyp SHARED_BORROWED (__pkvm_host_share_hyp)
  SharedWithFfa,  // host SHARED_OWNED, hyp NOPAGE (__pkvm_host_share_ffa)
  NotHost,        // host NOPAGE (hyp or secure memory) or not memory at all
};

[[nodiscard]] const char* page_owner_name(PageOwner owner);

// The operations, as named in mem_protect.c; the journal records each call in order.
enum class Stage2Op : uint8_t { ShareHyp, UnshareHyp, Pin, Unpin, ShareFfa, UnshareFfa };

[[nodiscard]] const char* stage2_op_name(Stage2Op op);

struct Stage2Event {
  Stage2Op op;
  uint64_t phys;      // first byte of the first page
  uint64_t nr_pages;  // kernel pages
  int ret;            // 0 or a negative errno
  friend bool operator==(const Stage2Event&, const Stage2Event&) = default;
};

class HostStage2 {
 public:
  HostStage2(uint64_t page_size, const emu::GuestMemory& memory);

  // __pkvm_host_share_hyp / __pkvm_host_unshare_hyp: one kernel page.
  int host_share_hyp(uint64_t pfn);
  int host_unshare_hyp(uint64_t pfn);
  // hyp_pin_shared_mem / hyp_unpin_shared_mem on the kernel page holding `phys`.
  int hyp_pin_shared_mem(uint64_t phys);
  void hyp_unpin_shared_mem(uint64_t phys);
  // __pkvm_host_share_ffa / __pkvm_host_unshare_ffa.
  int host_share_ffa(uint64_t pfn, uint64_t nr_pages);
  int host_unshare_ffa(uint64_t pfn, uint64_t nr_pages);

  [[nodiscard]] PageOwner owner(uint64_t phys) const;
  [[nodiscard]] uint32_t pin_count(uint64_t phys) const;
  [[nodiscard]] uint64_t page_size() const { return page_size_; }
  [[nodiscard]] const std::vector<Stage2Event>& journal() const { return journal_; }

  // Fault injection: `after` calls of `op` run normally, then the next one fails with `err`
  // (negative errno) and changes nothing.
  void fail_next(Stage2Op op, int err, int after = 0);

 private:
  enum class HostState : uint8_t { Owned, SharedOwned, NoPage };
  struct Page {
    HostState host = HostState::Owned;
    bool hyp_borrowed = false;
    uint32_t refcount = 0;
  };

  [[nodiscard]] std::optional<Page> page(uint64_t pfn) const;  // nullopt: not memory
  [[nodiscard]] int check_range_allowed_memory(uint64_t start, uint64_t end) const;
  [[nodiscard]] int check_host_state(uint64_t pfn, uint64_t nr_pages, HostState state) const;
  void set_host_state(uint64_t pfn, uint64_t nr_pages, HostState state);
  std::optional<int> injected(Stage2Op op);
  int record(Stage2Op op, uint64_t pfn, uint64_t nr_pages, int ret);

  uint64_t page_size_;
  const emu::GuestMemory& memory_;
  std::map<uint64_t, Page> pages_;  // pages whose state differs from their region's default
  struct Injection {
    int after;
    int err;
  };
  std::map<Stage2Op, Injection> injected_;
  std::vector<Stage2Event> journal_;
};

}  // namespace ffaemu::pkvm
