// pKVM's FF-A proxy (arch/arm64/kvm/hyp/nvhe/ffa.c): every host FF-A call is forwarded unmodified,
// refused as unsupported, or checked against the host stage-2 and reissued by EL2.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/pkvm/hyp_env.h"

namespace ffaemu::pkvm {

// The three answers kvm_host_ffa_handler() gives a host SMC.
enum class ProxyOutcome : uint8_t {
  Forward,  // not handled: handle_host_smc forwards the registers unchanged
  Deny,     // refused at EL2 (version gate, ffa_call_supported() false); regs is the error
  Handled,  // a do_ffa_* handler ran; regs is what ffa_set_retval() writes to x0-x17
};

struct ProxyResult {
  ProxyOutcome outcome = ProxyOutcome::Forward;
  emu::SmcccRegs regs;
  // The hop name: "pkvm:do_ffa_rxtx_map", "pkvm:deny:version_gate", ... (empty for Forward)
  ffa::HopName handler;
};

// A TX/RX pair: the host's (registered by FFA_RXTX_MAP) or the hyp's own (hyp_buffers).
struct MailboxPair {
  uint64_t tx = 0;
  uint64_t rx = 0;
  friend bool operator==(const MailboxPair&, const MailboxPair&) = default;
};

// KVM_FFA_MAX_NR_CONSTITUENTS and hyp_ffa_proxy_pages() (arch/arm64/include/asm/kvm_pkvm.h).
inline constexpr uint64_t kMaxNrConstituents = 4096;
[[nodiscard]] uint64_t hyp_ffa_proxy_pages(uint64_t page_size);

class FfaProxy {
 public:
  explicit FfaProxy(HypEnv& env) : env_(env) {}

  // hyp_ffa_init(pages): 0, or -EOPNOTSUPP when EL3's FF-A major version is not 1.
  int hyp_ffa_init(uint32_t host_smccc_version, uint64_t pages);
  ProxyResult kvm_host_ffa_handler(const emu::SmcccRegs& host, uint32_t func_id);

  [[nodiscard]] uint32_t hyp_ffa_version() const { return hyp_ffa_version_; }
  [[nodiscard]] bool has_version_negotiated() const { return has_version_negotiated_; }
  [[nodiscard]] std::optional<MailboxPair> host_buffers() const { return host_buffers_; }
  [[nodiscard]] std::optional<MailboxPair> hyp_buffers() const { return hyp_buffers_; }
  // Model bookkeeping (pKVM keeps no such flag): EL3 accepted FFA_RXTX_MAP_64 of the hyp pair
  // and no FFA_RXTX_UNMAP has been answered with success since.
  [[nodiscard]] bool hyp_buffers_mapped() const { return hyp_buffers_mapped_; }
  [[nodiscard]] uint64_t desc_buf_len() const { return desc_buf_len_; }

 private:
  emu::SmcccRegs do_ffa_version(const emu::SmcccRegs& host);
  int hyp_ffa_post_init();
  std::optional<emu::SmcccRegs> do_ffa_features(const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_rxtx_map(const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_rxtx_unmap(const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_part_get(const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_mem_xfer(uint32_t func_id, const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_mem_frag_tx(const emu::SmcccRegs& host);
  emu::SmcccRegs do_ffa_mem_reclaim(const emu::SmcccRegs& host);

  int ffa_map_hyp_buffers(uint64_t ffa_page_count);
  int ffa_unmap_hyp_buffers();
  emu::SmcccRegs ffa_mem_reclaim(uint32_t handle_lo, uint32_t handle_hi, uint32_t flags);
  emu::SmcccRegs ffa_rx_release();
  // Share/unshare `nranges` constituents read at `ranges` (hyp memory); DENIED and rolled back
  // when one fails (ffa_host_share_ranges / ffa_host_unshare_ranges).
  int ffa_host_share_ranges(uint64_t ranges, uint32_t nranges);
  int ffa_host_unshare_ranges(uint64_t ranges, uint32_t nranges);
  uint32_t share_ranges_prefix(uint64_t ranges, uint32_t nranges, bool share);

  [[nodiscard]] const MailboxPair& hyp_buffers_or_panic(std::string_view where) const;
  [[nodiscard]] uint64_t mem_desc_offset() const;

  HypEnv& env_;
  uint32_t hyp_ffa_version_ = 0;
  bool has_version_negotiated_ = false;
  std::optional<MailboxPair> hyp_buffers_;
  std::optional<MailboxPair> host_buffers_;
  uint64_t desc_buf_ = 0;
  uint64_t desc_buf_len_ = 0;
  bool hyp_buffers_mapped_ = false;
};

// Reply builders (ffa_to_smccc_error / _res / _res_prop): unnamed registers 0, codes sign-extended.
[[nodiscard]] emu::SmcccRegs ffa_to_smccc_error(int ffa_errno);
[[nodiscard]] emu::SmcccRegs ffa_to_smccc_res(int ret);
[[nodiscard]] emu::SmcccRegs ffa_to_smccc_res_prop(int ret, uint64_t prop);
// ffa_call_supported(): false for the calls the proxy refuses with NOT_SUPPORTED.
[[nodiscard]] bool ffa_call_supported(uint64_t func_id);

}  // namespace ffaemu::pkvm
