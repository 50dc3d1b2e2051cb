#include "ffa_core/linux/arm_ffa/driver.h"

#include <fmt/format.h>

#include "ffa_core/linux/arm_ffa/errmap.h"
#include "ffa_core/linux/arm_ffa/transport.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

namespace fid = ffa::fid;

constexpr ffa::FfaVersion kFfaDriverVersion = ffa::kV1_2;
constexpr ffa::FfaVersion kFfaMinVersion = ffa::kV1_0;
constexpr uint64_t kFfaPageSize = 4096;
constexpr uint64_t kSz4K = 4096;
constexpr uint64_t kSz16K = 16384;
constexpr uint64_t kSz64K = 65536;

bool is_ffa_error(const emu::SmcccRegs& r) {
  return r.x[0] == fid::kError;
}
int error_of(const emu::SmcccRegs& r) {
  return ffa_to_linux_errno(static_cast<int>(r.x[2]));
}

// ffa_compatible_version_find: the firmware's version unless it is a higher minor of our major.
ffa::FfaVersion ffa_compatible_version_find(ffa::FfaVersion fw, Printk& printk) {
  if (fw.major() < kFfaDriverVersion.major() ||
      (fw.major() == kFfaDriverVersion.major() && fw.minor() <= kFfaDriverVersion.minor())) {
    return fw;
  }
  printk.log(LogLevel::Info, "ARM FF-A: Firmware version higher than driver version, downgrading");
  return kFfaDriverVersion;
}

uint64_t rxtx_min_bufsz(uint32_t buf_sz) {
  switch (buf_sz & 0x3) {
    case 1:
      return kSz64K;
    case 2:
      return kSz16K;
    default:
      return kSz4K;
  }
}

}  // namespace

void FfaCore::pr(LogLevel level, std::string_view message) {
  env_.printk.log(level, fmt::format("ARM FF-A: {}", message));
}

int FfaCore::ffa_transport_init() {
  return lnx::ffa_transport_init(env_.smccc, env_.conduits, env_.printk, invoke_);
}

int FfaCore::ffa_version_check(ffa::FfaVersion& version) {
  const emu::SmcccRegs ver = invoke_ffa_fn(emu::regs(fid::kVersion, kFfaDriverVersion.raw()));
  if (static_cast<int32_t>(ver.x[0]) == -1) {
    pr(LogLevel::Info, "FFA_VERSION returned not supported");
    return -kEopnotsupp;
  }
  const auto fw = ffa::FfaVersion::from_raw(static_cast<uint32_t>(ver.x[0]));
  if (fw.major() > kFfaDriverVersion.major()) {
    pr(LogLevel::Err,
       fmt::format("Incompatible v{}.{}! Latest supported v{}.{}", fw.major(), fw.minor(),
                   kFfaDriverVersion.major(), kFfaDriverVersion.minor()));
    return -kEinval;
  }
  if (ver.x[0] < kFfaMinVersion.raw()) {
    pr(LogLevel::Err, fmt::format("Incompatible v{}.{}! Earliest supported v{}.{}", fw.major(),
                                  fw.minor(), kFfaMinVersion.major(), kFfaMinVersion.minor()));
    return -kEinval;
  }
  pr(LogLevel::Info,
     fmt::format("Driver version {}.{}", kFfaDriverVersion.major(), kFfaDriverVersion.minor()));
  pr(LogLevel::Info, fmt::format("Firmware version {}.{} found", fw.major(), fw.minor()));
  version = ffa_compatible_version_find(fw, env_.printk);
  return 0;
}

int FfaCore::ffa_id_get(uint16_t& vm_id) {
  const emu::SmcccRegs id = invoke_ffa_fn(emu::regs(fid::kIdGet));
  if (is_ffa_error(id)) return error_of(id);
  vm_id = static_cast<uint16_t>(id.x[2]);
  return 0;
}

int FfaCore::ffa_features(uint32_t func_feat_id, uint32_t* if_props_1) {
  const emu::SmcccRegs id = invoke_ffa_fn(emu::regs(fid::kFeatures, func_feat_id, 0));
  if (is_ffa_error(id)) return error_of(id);
  if (if_props_1) *if_props_1 = static_cast<uint32_t>(id.x[2]);
  return 0;
}

int FfaCore::ffa_rxtx_map(uint64_t tx_buf, uint64_t rx_buf, uint32_t pg_cnt) {
  const emu::SmcccRegs ret = invoke_ffa_fn(emu::regs(fid::kRxTxMap64, tx_buf, rx_buf, pg_cnt));
  return is_ffa_error(ret) ? error_of(ret) : 0;
}

// Tree A passes PACK_TARGET_INFO(vm_id, 0); B and C lost the argument and send x1 = 0.
int FfaCore::ffa_rxtx_unmap(uint16_t vm_id) {
  const uint64_t target = tree_ == FfaTree::A ? uint64_t{vm_id} << 16 : 0;
  const emu::SmcccRegs ret = invoke_ffa_fn(emu::regs(fid::kRxTxUnmap, target));
  return is_ffa_error(ret) ? error_of(ret) : 0;
}

int FfaCore::ffa_rx_release() {
  const emu::SmcccRegs ret = invoke_ffa_fn(emu::regs(fid::kRxRelease));
  return is_ffa_error(ret) ? error_of(ret) : 0;
}

void FfaCore::ffa_drvinfo_flags_init(FfaDrvInfo& info) {
  if (!ffa_features(fid::kMemLend64, nullptr) || !ffa_features(fid::kMemShare64, nullptr)) {
    info.mem_ops_native = true;
  }
  if (!ffa_features(fid::kMsgSendDirectReq2, nullptr) ||
      !ffa_features(fid::kMsgSendDirectResp2, nullptr)) {
    info.msg_direct_req2_supp = true;
  }
}

// FFA_FEATURES(RXTX_MAP) sizing, allocation of RX then TX, FFA_RXTX_MAP_64, with each tree's
// size rule (linux-ffa-pkvm.md 3.4) and unwind (3.6). 0 with the buffers recorded in `info`.
int FfaCore::map_buffers(FfaDrvInfo& info) {
  uint32_t buf_sz = 0;
  const bool have_sz = ffa_features(fid::kRxTxMap64, &buf_sz) == 0;
  const uint64_t min_sz = have_sz ? rxtx_min_bufsz(buf_sz) : kSz4K;
  uint64_t max_sz = 0;
  uint64_t alloc_sz = min_sz;
  uint64_t map_sz = min_sz;
  if (tree_ == FfaTree::B) map_sz = env_.pages.page_align(min_sz);
  if (tree_ == FfaTree::C) {
    max_sz = have_sz ? uint64_t{buf_sz >> 16} * kSz4K : 0;
    if (max_sz != 0 && max_sz < min_sz) max_sz = min_sz;
    const uint64_t aligned = env_.pages.page_align(min_sz);
    alloc_sz = max_sz != 0 ? std::min(aligned, max_sz) : aligned;
    map_sz = alloc_sz;
  }

  const std::optional<uint64_t> rx = env_.pages.alloc_pages_exact(alloc_sz);
  if (!rx) return -kEnomem;  // A frees the NULL rx pointer here; nothing is held either way
  const std::optional<uint64_t> tx = env_.pages.alloc_pages_exact(alloc_sz);
  if (!tx) {
    env_.pages.free_pages_exact(*rx, alloc_sz);
    return -kEnomem;
  }

  int ret = ffa_rxtx_map(*tx, *rx, static_cast<uint32_t>(map_sz / kFfaPageSize));
  if (tree_ == FfaTree::C && ret == -kEinval && max_sz == 0 && min_sz < map_sz) {
    map_sz = min_sz;
    ret = ffa_rxtx_map(*tx, *rx, static_cast<uint32_t>(map_sz / kFfaPageSize));
  }
  // C frees with the size after the retry: the pages above it leak, as in the kernel.
  const uint64_t free_sz = tree_ == FfaTree::C ? map_sz : alloc_sz;
  if (ret) {
    pr(LogLevel::Err, "failed to register FFA RxTx buffers");
    env_.pages.free_pages_exact(*tx, free_sz);
    env_.pages.free_pages_exact(*rx, free_sz);
    return ret;
  }
  info.rx_buffer = *rx;
  info.tx_buffer = *tx;
  info.rxtx_bufsz = tree_ == FfaTree::C ? map_sz : min_sz;
  return 0;
}

int FfaCore::bring_up(Device* parent) {
  drv_info_.emplace();
  FfaDrvInfo& info = *drv_info_;
  int ret = ffa_version_check(info.version);
  if (ret) {
    if (tree_ == FfaTree::C && ret == -kEopnotsupp) ret = -kEnodev;
    drv_info_.reset();
    return ret;
  }
  if (ffa_id_get(info.vm_id)) {
    pr(LogLevel::Err, "failed to obtain VM id for self");
    drv_info_.reset();
    return -kEnodev;
  }
  ret = map_buffers(info);
  if (ret) {
    drv_info_.reset();
    return ret;
  }
  ffa_drvinfo_flags_init(info);
  ffa_notifications_setup(info);
  ret = ffa_setup_partitions(info, parent);
  if (ret == 0) {
    up_ = true;
    ready_stage_ = env_.printk.stage();
    env_.printk.event(BootEventKind::FfaReady, "arm-ffa",
                      fmt::format("{} partitions", partition_count_));
    return 0;
  }
  pr(LogLevel::Err, "failed to setup partitions");
  ffa_notifications_cleanup(info);
  if (tree_ != FfaTree::A) ffa_rxtx_unmap(info.vm_id);
  env_.pages.free_pages_exact(info.tx_buffer, info.rxtx_bufsz);
  env_.pages.free_pages_exact(info.rx_buffer, info.rxtx_bufsz);
  drv_info_.reset();
  return ret;
}

void FfaCore::remove() {
  FfaDrvInfo& info = *drv_info_;
  ffa_notifications_cleanup(info);
  ffa_partitions_cleanup(info);
  ffa_rxtx_unmap(info.vm_id);
  env_.pages.free_pages_exact(info.tx_buffer, info.rxtx_bufsz);
  env_.pages.free_pages_exact(info.rx_buffer, info.rxtx_bufsz);
  drv_info_.reset();
  up_ = false;
}

}  // namespace ffaemu::lnx
