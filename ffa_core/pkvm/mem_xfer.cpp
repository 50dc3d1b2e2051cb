// Memory transfer at EL2: FFA_MEM_SHARE/LEND (__do_ffa_mem_xfer), FFA_MEM_FRAG_TX and
// FFA_MEM_RECLAIM. Each constituent the host names is moved to SHARED_OWNED in the host stage-2
// before EL3 sees the descriptor, and back to OWNED when the transfer fails or is reclaimed.
#include <array>

#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/pkvm/ffa_proxy.h"
#include "ffa_core/pkvm/hyp_fault.h"

namespace ffaemu::pkvm {
namespace {

namespace fid = ffa::fid;
constexpr uint64_t kFfaPageSize = 4096;
// struct ffa_mem_region: sender_id @0 (u16), handle @8, ep_count @28; sizeof 48.
constexpr uint64_t kMemRegionSize = 48;
constexpr uint64_t kSenderIdOffset = 0;
constexpr uint64_t kHandleOffset = 8;
constexpr uint64_t kEpCountOffset = 28;
// struct ffa_mem_region_attributes: composite_off @4; sizeof 32.
constexpr uint64_t kEmadSize = 32;
constexpr uint64_t kCompositeOffOffset = 4;
// struct ffa_composite_mem_region: addr_range_cnt @4, constituents @16.
constexpr uint64_t kCompositeSize = 16;
constexpr uint64_t kRangeCountOffset = 4;
// struct ffa_mem_region_addr_range: address @0, pg_cnt @8; sizeof 16.
constexpr uint64_t kRangeSize = 16;

constexpr int kInvalidParameters = static_cast<int>(ffa::FfaError::InvalidParameters);

uint16_t read_u16(const emu::GuestMemory& m, uint64_t addr) {
  std::array<uint8_t, 2> b{};
  m.read(emu::PhysAddr{addr}, b);
  return static_cast<uint16_t>(b[0] | (b[1] << 8));
}

}  // namespace

// __ffa_host_share_ranges / __ffa_host_unshare_ranges: how many leading ranges went through.
// A range whose size is not a whole number of kernel pages stops the walk. Reading a constituent
// at or past `limit` is an EL2 overrun.
uint32_t FfaProxy::share_ranges_prefix(uint64_t ranges, uint32_t nranges, bool share) {
  uint64_t page_size = env_.config.page_size;
  uint32_t i = 0;
  for (; i < nranges; ++i) {
    uint64_t range = ranges + uint64_t{i} * kRangeSize;
    uint64_t address = env_.memory.read_u64(emu::PhysAddr{range});
    uint64_t sz = uint64_t{env_.memory.read_u32(emu::PhysAddr{range + 8})} * kFfaPageSize;
    uint64_t pfn = address / page_size;
    if (sz % page_size) break;
    int ret = share ? env_.stage2.host_share_ffa(pfn, sz / page_size)
                    : env_.stage2.host_unshare_ffa(pfn, sz / page_size);
    if (ret) break;
  }
  return i;
}

int FfaProxy::ffa_host_share_ranges(uint64_t ranges, uint32_t nranges) {
  uint32_t nshared = share_ranges_prefix(ranges, nranges, true);
  if (nshared == nranges) return 0;
  if (share_ranges_prefix(ranges, nshared, false) != nshared) {
    env_.sink.note(ffa::Level::El2, "WARN: rolling back a partial FF-A share failed");
  }
  env_.sink.note(ffa::Level::El2,
                 fmt::format("FF-A memory share: constituent {} of {} refused by the host "
                             "stage-2, DENIED",
                             nshared, nranges));
  return static_cast<int>(ffa::FfaError::Denied);
}

int FfaProxy::ffa_host_unshare_ranges(uint64_t ranges, uint32_t nranges) {
  uint32_t nunshared = share_ranges_prefix(ranges, nranges, false);
  if (nunshared == nranges) return 0;
  if (share_ranges_prefix(ranges, nunshared, true) != nunshared) {
    env_.sink.note(ffa::Level::El2, "WARN: re-sharing after a partial FF-A unshare failed");
  }
  return static_cast<int>(ffa::FfaError::Denied);
}

emu::SmcccRegs FfaProxy::ffa_mem_reclaim(uint32_t handle_lo, uint32_t handle_hi, uint32_t flags) {
  return env_.smc(emu::regs(fid::kMemReclaim, handle_lo, handle_hi, flags));
}

emu::SmcccRegs FfaProxy::ffa_rx_release() {
  return env_.smc(emu::regs(fid::kRxRelease));
}

// __do_ffa_mem_xfer, issued to EL3 with the SMC64 ID whatever width the host used. Returns
// INVALID_PARAMETERS (MBZ registers, lengths, no host TX, descriptor checks), NO_MEMORY (total
// length above the descriptor buffer), DENIED (a constituent the host cannot share), or EL3's
// reply.
emu::SmcccRegs FfaProxy::do_ffa_mem_xfer(uint32_t func_id, const emu::SmcccRegs& host) {
  uint32_t len = host.w(1);
  uint32_t fraglen = host.w(2);
  uint64_t addr_mbz = host.x[3];
  uint32_t npages_mbz = host.w(4);

  if (addr_mbz || npages_mbz || fraglen > len || fraglen > env_.mailbox_size()) {
    return ffa_to_smccc_res(kInvalidParameters);
  }
  if (fraglen < kMemRegionSize + kEmadSize) return ffa_to_smccc_res(kInvalidParameters);
  if (!host_buffers_) return ffa_to_smccc_res(kInvalidParameters);
  if (len > desc_buf_len_) return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::NoMemory));

  uint64_t buf = hyp_buffers_or_panic("__do_ffa_mem_xfer").tx;
  env_.copy(buf, host_buffers_->tx, fraglen);

  uint64_t ep_mem_access = buf + mem_desc_offset();
  uint32_t offset = env_.memory.read_u32(emu::PhysAddr{ep_mem_access + kCompositeOffOffset});
  uint32_t ep_count = env_.memory.read_u32(emu::PhysAddr{buf + kEpCountOffset});
  uint16_t sender_id = read_u16(env_.memory, buf + kSenderIdOffset);
  if (offset == 0 || ep_count != 1 || sender_id != ffa::kHostId.value()) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("FFA_MEM_SHARE/LEND: composite offset {}, {} endpoints, sender "
                               "{:#x}: INVALID_PARAMETERS",
                               offset, ep_count, sender_id));
    return ffa_to_smccc_res(kInvalidParameters);
  }
  uint64_t checked_offset = uint64_t{offset} + kCompositeSize;
  if (checked_offset > UINT32_MAX || fraglen < checked_offset) {
    return ffa_to_smccc_res(kInvalidParameters);
  }
  uint64_t range_bytes = fraglen - checked_offset;
  if (range_bytes % kRangeSize) return ffa_to_smccc_res(kInvalidParameters);

  uint64_t constituents = buf + checked_offset;
  auto nr_ranges = static_cast<uint32_t>(range_bytes / kRangeSize);
  if (int ret = ffa_host_share_ranges(constituents, nr_ranges)) return ffa_to_smccc_res(ret);

  emu::SmcccRegs res = env_.smc(emu::regs(func_id, len, fraglen));
  bool accepted = fraglen != len ? res.x[0] == fid::kMemFragRx && res.x[3] == fraglen
                                 : res.x[0] == fid::kSuccess;
  if (!accepted && ffa_host_unshare_ranges(constituents, nr_ranges)) {
    env_.sink.note(ffa::Level::El2, "WARN: unsharing after a refused transfer failed");
  }
  return res;
}

// do_ffa_mem_frag_tx. Returns INVALID_PARAMETERS (fragment length, no host TX), DENIED after
// reclaiming the whole handle at EL3 when a constituent cannot be shared, or EL3's reply.
emu::SmcccRegs FfaProxy::do_ffa_mem_frag_tx(const emu::SmcccRegs& host) {
  uint32_t handle_lo = host.w(1);
  uint32_t handle_hi = host.w(2);
  uint32_t fraglen = host.w(3);
  uint32_t endpoint_id = host.w(4);

  if (fraglen > env_.mailbox_size() || fraglen % kRangeSize || !host_buffers_) {
    return ffa_to_smccc_res(kInvalidParameters);
  }
  uint64_t buf = hyp_buffers_or_panic("do_ffa_mem_frag_tx").tx;
  env_.copy(buf, host_buffers_->tx, fraglen);
  uint32_t nr_ranges = fraglen / kRangeSize;

  if (int ret = ffa_host_share_ranges(buf, nr_ranges)) {
    // Abort the whole transaction, restoring the state before the first fragment.
    if (ffa_mem_reclaim(handle_lo, handle_hi, 0).x[0] != fid::kSuccess) {
      env_.sink.note(ffa::Level::El2, "WARN: reclaim after a refused fragment failed");
    }
    return ffa_to_smccc_res(ret);
  }
  emu::SmcccRegs res =
      env_.smc(emu::regs(fid::kMemFragTx, handle_lo, handle_hi, fraglen, endpoint_id));
  if (res.x[0] != fid::kSuccess && res.x[0] != fid::kMemFragRx &&
      ffa_host_unshare_ranges(buf, nr_ranges)) {
    env_.sink.note(ffa::Level::El2, "WARN: unsharing a refused fragment failed");
  }
  return res;
}

// do_ffa_mem_reclaim: EL2 retrieves the descriptor of `handle` itself (FFA_MEM_RETRIEVE_REQ_64,
// then FFA_MEM_FRAG_RX for the rest) to learn which pages to unshare once EL3 accepts the reclaim.
// Returns ABORTED or NO_MEMORY for a descriptor it cannot hold, INVALID_PARAMETERS when a
// fragment does not come back as FFA_MEM_FRAG_TX, or EL3's reply.
emu::SmcccRegs FfaProxy::do_ffa_mem_reclaim(const emu::SmcccRegs& host) {
  uint32_t handle_lo = host.w(1);
  uint32_t handle_hi = host.w(2);
  uint32_t flags = host.w(3);
  uint64_t handle = (uint64_t{handle_hi} << 32) | handle_lo;
  const MailboxPair& hyp = hyp_buffers_or_panic("do_ffa_mem_reclaim");

  env_.memory.fill(emu::PhysAddr{hyp.tx}, kMemRegionSize, 0);
  env_.memory.write_u64(emu::PhysAddr{hyp.tx + kHandleOffset}, handle);  // sender_id stays 0
  emu::SmcccRegs res = env_.smc(emu::regs(fid::kMemRetrieveReq64, kMemRegionSize, kMemRegionSize));
  if (res.x[0] != fid::kMemRetrieveResp) return res;

  auto len = static_cast<uint32_t>(res.x[1]);
  auto fraglen = static_cast<uint32_t>(res.x[2]);
  uint64_t ep_mem_access = hyp.rx + mem_desc_offset();
  uint32_t offset = env_.memory.read_u32(emu::PhysAddr{ep_mem_access + kCompositeOffOffset});
  if (offset > len || fraglen > env_.mailbox_size()) {
    env_.sink.note(ffa::Level::El2, "WARN: FFA_MEM_RETRIEVE_RESP from EL3 looks bogus, ABORTED");
    ffa_rx_release();
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::Aborted));
  }
  if (len > desc_buf_len_) {
    ffa_rx_release();
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::NoMemory));
  }
  env_.copy(desc_buf_, hyp.rx, fraglen);
  ffa_rx_release();

  for (uint32_t fragoff = fraglen; fragoff < len; fragoff += fraglen) {
    res = env_.smc(emu::regs(fid::kMemFragRx, handle_lo, handle_hi, fragoff, ffa::kHostId.value()));
    if (res.x[0] != fid::kMemFragTx) return ffa_to_smccc_res(kInvalidParameters);
    fraglen = static_cast<uint32_t>(res.x[3]);
    if (fraglen == 0) throw HypPanic("do_ffa_mem_reclaim: FFA_MEM_FRAG_TX of 0 bytes, EL2 loops");
    if (fraglen > env_.mailbox_size() || uint64_t{fragoff} + fraglen > desc_buf_len_) {
      throw HypPanic("do_ffa_mem_reclaim: fragment overruns the hyp RX or ffa_desc_buf");
    }
    env_.copy(desc_buf_ + fragoff, hyp.rx, fraglen);
    ffa_rx_release();
  }

  res = ffa_mem_reclaim(handle_lo, handle_hi, flags);
  if (res.x[0] != fid::kSuccess) return res;

  uint64_t reg = desc_buf_ + offset;
  uint64_t desc_end = desc_buf_ + desc_buf_len_;
  if (reg + kCompositeSize > desc_end) throw HypPanic("do_ffa_mem_reclaim: composite past buffer");
  uint32_t nranges = env_.memory.read_u32(emu::PhysAddr{reg + kRangeCountOffset});
  if (reg + kCompositeSize + uint64_t{nranges} * kRangeSize > desc_end) {
    throw HypPanic("do_ffa_mem_reclaim: addr_range_cnt runs past ffa_desc_buf");
  }
  // If the SPMD was happy, then we should be too.
  if (ffa_host_unshare_ranges(reg + kCompositeSize, nranges)) {
    env_.sink.note(ffa::Level::El2, "WARN: unsharing reclaimed ranges failed");
  }
  return res;
}

}  // namespace ffaemu::pkvm
