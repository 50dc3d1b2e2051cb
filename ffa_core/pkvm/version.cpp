// FF-A version handling at EL2: hyp_ffa_init() at pKVM init, do_ffa_version() and
// hyp_ffa_post_init() on the host's FFA_VERSION (arch/arm64/kvm/hyp/nvhe/ffa.c).
#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/pkvm/ffa_proxy.h"

namespace ffaemu::pkvm {
namespace {

namespace fid = ffa::fid;

// FFA_MAJOR_VERSION / FFA_MINOR_VERSION on a 64-bit register: bits 30:16 and 15:0.
constexpr uint64_t major_of(uint64_t v) {
  return (v >> 16) & 0x7fff;
}
constexpr uint64_t minor_of(uint64_t v) {
  return v & 0xffff;
}

// FFA_RET_NOT_SUPPORTED stored into or compared with an unsigned long: all ones.
constexpr uint64_t kNotSupported64 = ~uint64_t{0};
constexpr uint32_t kSmcccVersion1_2 = 0x10002;

}  // namespace

int FfaProxy::hyp_ffa_init(uint32_t host_smccc_version, uint64_t pages) {
  if (host_smccc_version < kSmcccVersion1_2) {
    env_.sink.note(ffa::Level::El2, "hyp_ffa_init: host SMCCC below 1.2, FF-A proxy not set up");
    return 0;
  }
  emu::SmcccRegs res = env_.smc(emu::regs(fid::kVersion, ffa::kV1_2.raw()));
  if (res.x[0] == kNotSupported64) {
    env_.sink.note(ffa::Level::El2, "hyp_ffa_init: EL3 FFA_VERSION is NOT_SUPPORTED, no FF-A");
    return 0;
  }
  if (major_of(res.x[0]) != 1) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("hyp_ffa_init: EL3 FFA_VERSION {:#x} has major != 1", res.x[0]));
    return -kEopnotsupp;
  }
  hyp_ffa_version_ = minor_of(res.x[0]) < minor_of(ffa::kV1_2.raw())
                         ? static_cast<uint32_t>(res.x[0])
                         : ffa::kV1_2.raw();

  uint64_t mbox = env_.mailbox_size();
  hyp_buffers_ = MailboxPair{pages, pages + mbox};
  desc_buf_ = pages + 2 * mbox;
  desc_buf_len_ = env_.config.page_size * (hyp_ffa_proxy_pages(env_.config.page_size) - 2);
  host_buffers_.reset();
  return 0;
}

// hyp_ffa_post_init: FFA_ID_GET must give the host's ID 0 and the SPMC's minimum RX/TX size must
// fit in one kernel page. Non-zero (an errno) means the host cannot use FF-A yet.
int FfaProxy::hyp_ffa_post_init() {
  emu::SmcccRegs res = env_.smc(emu::regs(fid::kIdGet));
  if (res.x[0] != fid::kSuccess) return -kEopnotsupp;
  if (res.x[2] != ffa::kHostId.value()) return -kEinval;

  res = env_.smc(emu::regs(fid::kFeatures, fid::kRxTxMap64));
  if (res.x[0] != fid::kSuccess) return -kEopnotsupp;
  uint64_t min_rxtx_sz = 0;
  switch (res.x[2] & 0x3) {  // FFA_FEAT_RXTX_MIN_SZ_MASK
    case 0:
      min_rxtx_sz = 4096;
      break;
    case 2:
      min_rxtx_sz = 16384;
      break;
    case 1:
      min_rxtx_sz = 65536;
      break;
    default:
      return -kEinval;
  }
  if (min_rxtx_sz > env_.config.page_size) return -kEopnotsupp;
  return 0;
}

// do_ffa_version. Paths that make no SMC set only a0 of an uninitialised result; the model
// returns 0 in x1-x17 there.
emu::SmcccRegs FfaProxy::do_ffa_version(const emu::SmcccRegs& host) {
  uint32_t ffa_req_version = host.w(1);
  emu::SmcccRegs res;
  if (major_of(ffa_req_version) != 1) {
    res.x[0] = kNotSupported64;
    return res;
  }
  if (has_version_negotiated_) {
    res.x[0] =
        minor_of(ffa_req_version) < minor_of(hyp_ffa_version_) ? kNotSupported64 : hyp_ffa_version_;
    return res;
  }
  // If the client driver tries to downgrade the version, ask first whether EL3 supports it.
  if (minor_of(ffa_req_version) < minor_of(hyp_ffa_version_)) {
    res = env_.smc(emu::regs(fid::kVersion, ffa_req_version));
    if (res.x[0] == kNotSupported64) return res;
    hyp_ffa_version_ = ffa_req_version;
  }
  if (int err = hyp_ffa_post_init()) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("FFA_VERSION: hyp_ffa_post_init failed ({}), NOT_SUPPORTED", err));
    res.x[0] = kNotSupported64;
  } else {
    has_version_negotiated_ = true;
    res.x[0] = hyp_ffa_version_;
  }
  return res;
}

}  // namespace ffaemu::pkvm
