// FFA_RXTX_MAP_64 / FFA_RXTX_UNMAP at EL2: the hyp maps its own pair at EL3, then shares and pins
// one kernel page of each host buffer; failures unwind in reverse order (do_ffa_rxtx_map).
#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/pkvm/ffa_proxy.h"

namespace ffaemu::pkvm {
namespace {

namespace fid = ffa::fid;
constexpr uint64_t kFfaPageSize = 4096;  // FFA_PAGE_SIZE
constexpr int kInvalidParameters = static_cast<int>(ffa::FfaError::InvalidParameters);

}  // namespace

// ffa_map_hyp_buffers: EL3's status on failure, truncated to int as the kernel's return does.
int FfaProxy::ffa_map_hyp_buffers(uint64_t ffa_page_count) {
  MailboxPair hyp = hyp_buffers_.value_or(MailboxPair{});
  if (!hyp_buffers_) {
    env_.sink.note(ffa::Level::El2,
                   "ffa_map_hyp_buffers: hyp_buffers are NULL; EL3 is given address 0");
  }
  emu::SmcccRegs res = env_.smc(emu::regs(fid::kRxTxMap64, hyp.tx, hyp.rx, ffa_page_count));
  if (res.x[0] == fid::kSuccess) {
    hyp_buffers_mapped_ = true;
    return 0;
  }
  return static_cast<int>(static_cast<uint32_t>(res.x[2]));
}

int FfaProxy::ffa_unmap_hyp_buffers() {
  emu::SmcccRegs res = env_.smc(emu::regs(fid::kRxTxUnmap, ffa::kHostId.value()));
  if (res.x[0] == fid::kSuccess) {
    hyp_buffers_mapped_ = false;
    return 0;
  }
  return static_cast<int>(static_cast<uint32_t>(res.x[2]));
}

// do_ffa_rxtx_map. Returns INVALID_PARAMETERS (page count, alignment, share or pin failure),
// DENIED (host pair already registered), or EL3's status when it refuses the hyp pair.
emu::SmcccRegs FfaProxy::do_ffa_rxtx_map(const emu::SmcccRegs& host) {
  uint64_t tx = host.x[1];
  uint64_t rx = host.x[2];
  uint32_t npages = host.w(3);
  uint64_t page_size = env_.config.page_size;

  if (npages != env_.mailbox_size() / kFfaPageSize) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("FFA_RXTX_MAP_64: {} pages, PAGE_SIZE {:#x} needs {}", npages,
                               page_size, env_.mailbox_size() / kFfaPageSize));
    return ffa_to_smccc_res(kInvalidParameters);
  }
  if (tx % page_size || rx % page_size) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("FFA_RXTX_MAP_64: tx {:#x} / rx {:#x} not aligned to {:#x}", tx, rx,
                               page_size));
    return ffa_to_smccc_res(kInvalidParameters);
  }
  if (host_buffers_) {
    env_.sink.note(ffa::Level::El2, "FFA_RXTX_MAP_64: host buffers already registered");
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::Denied));
  }
  // Map our hypervisor buffers into the SPMD before sharing and pinning the host buffers.
  if (int ret = ffa_map_hyp_buffers(npages)) return ffa_to_smccc_res(ret);

  // What has been acquired so far, released in reverse order on failure.
  enum Held { kMapped, kTxShared, kRxShared, kTxPinned };
  auto unwind = [&](Held held) {
    switch (held) {
      case kTxPinned:
        env_.stage2.hyp_unpin_shared_mem(tx);
        [[fallthrough]];
      case kRxShared:
        env_.stage2.host_unshare_hyp(rx / page_size);
        [[fallthrough]];
      case kTxShared:
        env_.stage2.host_unshare_hyp(tx / page_size);
        [[fallthrough]];
      case kMapped:
        ffa_unmap_hyp_buffers();
    }
    return ffa_to_smccc_res(kInvalidParameters);
  };
  if (env_.stage2.host_share_hyp(tx / page_size)) return unwind(kMapped);
  if (env_.stage2.host_share_hyp(rx / page_size)) return unwind(kTxShared);
  if (env_.stage2.hyp_pin_shared_mem(tx)) return unwind(kRxShared);
  if (env_.stage2.hyp_pin_shared_mem(rx)) return unwind(kTxPinned);

  host_buffers_ = MailboxPair{tx, rx};
  return ffa_to_smccc_res(0);
}

// do_ffa_rxtx_unmap: w1 must be the host's ID (0) and a pair must be registered, else
// INVALID_PARAMETERS. EL3's answer to the hyp pair's unmap is ignored.
emu::SmcccRegs FfaProxy::do_ffa_rxtx_unmap(const emu::SmcccRegs& host) {
  if (host.w(1) != ffa::kHostId.value()) return ffa_to_smccc_res(kInvalidParameters);
  if (!host_buffers_) return ffa_to_smccc_res(kInvalidParameters);

  uint64_t page_size = env_.config.page_size;
  MailboxPair pair = *host_buffers_;
  env_.stage2.hyp_unpin_shared_mem(pair.tx);
  if (env_.stage2.host_unshare_hyp(pair.tx / page_size)) {
    env_.sink.note(ffa::Level::El2, "WARN: __pkvm_host_unshare_hyp(host tx) failed");
  }
  env_.stage2.hyp_unpin_shared_mem(pair.rx);
  if (env_.stage2.host_unshare_hyp(pair.rx / page_size)) {
    env_.sink.note(ffa::Level::El2, "WARN: __pkvm_host_unshare_hyp(host rx) failed");
  }
  host_buffers_.reset();
  ffa_unmap_hyp_buffers();
  return ffa_to_smccc_res(0);
}

}  // namespace ffaemu::pkvm
