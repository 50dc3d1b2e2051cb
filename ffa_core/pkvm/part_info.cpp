// FFA_PARTITION_INFO_GET at EL2 (do_ffa_part_get): EL3 fills the hyp's RX buffer, EL2 copies the
// descriptors into the host's. The hyp RX is not released here: the host's FFA_RX_RELEASE is
// forwarded and releases it (both share endpoint ID 0).
#include <fmt/format.h>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/pkvm/ffa_proxy.h"

namespace ffaemu::pkvm {
namespace {

namespace fid = ffa::fid;
constexpr uint32_t kFfa10PartitionInfoSize = 8;  // FFA_1_0_PARTITON_INFO_SZ

}  // namespace

// Returns BUSY (no host RX buffer), ABORTED (descriptors larger than the mailbox), or EL3's reply.
emu::SmcccRegs FfaProxy::do_ffa_part_get(const emu::SmcccRegs& host) {
  uint32_t flags = host.w(5);
  if (!host_buffers_) {
    env_.sink.note(ffa::Level::El2, "FFA_PARTITION_INFO_GET: no host RX buffer registered");
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::Busy));
  }
  emu::SmcccRegs res = env_.smc(
      emu::regs(fid::kPartitionInfoGet, host.w(1), host.w(2), host.w(3), host.w(4), flags));
  if (res.x[0] != fid::kSuccess) return res;

  uint32_t count = static_cast<uint32_t>(res.x[2]);
  if (count == 0) return res;
  uint32_t partition_sz = kFfa10PartitionInfoSize;
  if (hyp_ffa_version_ > ffa::kV1_0.raw()) {
    if (flags & 0x1) return res;  // count only
    partition_sz = static_cast<uint32_t>(res.x[3]);
  }
  uint32_t copy_sz = partition_sz * count;  // u32 arithmetic, as in the kernel
  if (copy_sz > env_.mailbox_size()) {
    env_.sink.note(ffa::Level::El2,
                   fmt::format("FFA_PARTITION_INFO_GET: {} x {} bytes exceed the mailbox", count,
                               partition_sz));
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::Aborted));
  }
  env_.copy(host_buffers_->rx, hyp_buffers_or_panic("do_ffa_part_get").rx, copy_sz);
  return res;
}

}  // namespace ffaemu::pkvm
