// Partition discovery and partition devices (driver.c ffa_partition_probe,
// __ffa_partition_info_get, __ffa_partition_info_get_regs, ffa_setup_partitions,
// ffa_setup_host_partition, ffa_partitions_cleanup, ffa_device_match_uuid).
#include <fmt/format.h>

#include "ffa_core/linux/arm_ffa/driver.h"
#include "ffa_core/linux/arm_ffa/errmap.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

namespace fid = ffa::fid;

constexpr uint64_t kPartitionInfoGetReturnCountOnly = 1;
constexpr int kRegsFirst = 3;       // FFA_PART_INFO_GET_REGS_FIRST_REG
constexpr int kRegsMinPerDesc = 3;  // FFA_PART_INFO_GET_REGS_MIN_REGS_PER_DESC
constexpr int kRegsNum = 18;        // sizeof(ffa_value_t) / sizeof(a0)

// The version predicates of driver.c: all "newer than v1.0".
bool ffa_supports_get_count_only(ffa::FfaVersion v) {
  return v > ffa::kV1_0;
}
bool ffa_part_info_has_size_in_resp(ffa::FfaVersion v) {
  return v > ffa::kV1_0;
}
bool ffa_part_info_has_uuid_in_resp(ffa::FfaVersion v) {
  return v > ffa::kV1_0;
}
bool ffa_part_info_has_exec_state_in_resp(ffa::FfaVersion v) {
  return v > ffa::kV1_0;
}

}  // namespace

int FfaCore::ffa_partition_info_get(const FfaDrvInfo& info, const std::array<uint32_t, 4>& uuid,
                                    std::vector<FfaPartitionInfo>* buffer, int num_partitions) {
  uint64_t flags = 0;
  if (ffa_supports_get_count_only(info.version) && (!buffer || !num_partitions)) {
    flags = kPartitionInfoGetReturnCountOnly;
  }
  const emu::SmcccRegs r =
      invoke_ffa_fn(emu::regs(fid::kPartitionInfoGet, uuid[0], uuid[1], uuid[2], uuid[3], flags));
  if (r.x[0] == fid::kError) return ffa_to_linux_errno(static_cast<int>(r.x[2]));

  const auto count = static_cast<int>(r.x[2]);
  uint64_t sz = 8;
  uint64_t buf_sz = 8;
  if (ffa_part_info_has_size_in_resp(info.version)) {
    sz = static_cast<uint32_t>(r.x[3]);
    buf_sz = std::min<uint64_t>(sz, 24);
  }
  if (buffer && count <= num_partitions) {
    for (int idx = 0; idx < count; ++idx) {
      const emu::PhysAddr at{info.rx_buffer + static_cast<uint64_t>(idx) * sz};
      std::array<uint8_t, 24> raw{};
      env_.memory.read(at, std::span<uint8_t>(raw.data(), buf_sz));
      FfaPartitionInfo& p = (*buffer)[static_cast<size_t>(idx)];
      p.id = static_cast<uint16_t>(raw[0] | raw[1] << 8);
      p.exec_ctxt = static_cast<uint16_t>(raw[2] | raw[3] << 8);
      p.properties = raw[4] | raw[5] << 8 | raw[6] << 16 | uint32_t{raw[7]} << 24;
      if (buf_sz > 8) {
        std::array<uint8_t, 16> u{};
        std::copy(raw.begin() + 8, raw.end(), u.begin());
        p.uuid = ffa::Uuid(u);
      }
    }
  }
  if (!(flags & kPartitionInfoGetReturnCountOnly)) ffa_rx_release();
  return count;
}

int FfaCore::ffa_partition_info_get_regs(const std::array<uint32_t, 4>& uuid,
                                         std::vector<FfaPartitionInfo>* buffer, int num_parts) {
  uint16_t start_idx = 0;
  uint16_t cur_idx = 0;
  int count = 0;
  uint64_t tag = 0;
  int buf_idx = 0;
  do {
    const emu::SmcccRegs r =
        invoke_ffa_fn(emu::regs(fid::kPartitionInfoGetRegs, uint64_t{uuid[1]} << 32 | uuid[0],
                                uint64_t{uuid[3]} << 32 | uuid[2], start_idx | tag << 16));
    if (r.x[0] == fid::kError) return ffa_to_linux_errno(static_cast<int>(r.x[2]));
    if (!count) count = static_cast<uint16_t>(r.x[2]) + 1;
    if (!buffer || !num_parts) return count;
    if (count > num_parts) return -kEinval;
    cur_idx = static_cast<uint16_t>(r.x[2] >> 16);
    if (cur_idx < start_idx || cur_idx >= count) return -kEinval;
    const auto desc_sz = static_cast<uint16_t>(r.x[2] >> 48);
    if (desc_sz % 8) return -kEinval;
    const int regs_per_desc = desc_sz / 8;
    if (regs_per_desc < kRegsMinPerDesc) return -kEinval;
    const int nr_desc = cur_idx - start_idx + 1;
    if (nr_desc > (kRegsNum - kRegsFirst) / regs_per_desc) return -kEinval;
    if (buf_idx + nr_desc > num_parts) return -kEinval;
    tag = static_cast<uint16_t>(r.x[2] >> 32);
    for (int i = 0; i < nr_desc; ++i, ++buf_idx) {
      const int reg = kRegsFirst + i * regs_per_desc;
      FfaPartitionInfo& p = (*buffer)[static_cast<size_t>(buf_idx)];
      p.id = static_cast<uint16_t>(r.x[reg]);
      p.exec_ctxt = static_cast<uint16_t>(r.x[reg] >> 16);
      p.properties = static_cast<uint32_t>(r.x[reg] >> 32);
      p.uuid = ffa::Uuid::from_halves(r.x[reg + 1], r.x[reg + 2]);
    }
    start_idx = static_cast<uint16_t>(cur_idx + 1);
  } while (cur_idx < count - 1);
  return count;
}

// Regs mode when FFA_FEATURES(PARTITION_INFO_GET_REGS) succeeds (asked on every call), else the
// RX buffer; a count query first, then the descriptors.
int FfaCore::ffa_partition_probe(const ffa::Uuid& uuid, std::vector<FfaPartitionInfo>& out) {
  const bool reg_mode = ffa_features(fid::kPartitionInfoGetRegs, nullptr) == 0;
  const std::array<uint32_t, 4> words = uuid.words();
  const FfaDrvInfo& info = *drv_info_;
  int count = reg_mode ? ffa_partition_info_get_regs(words, nullptr, 0)
                       : ffa_partition_info_get(info, words, nullptr, 0);
  if (count <= 0) return count;
  out.assign(static_cast<size_t>(count), FfaPartitionInfo{});
  count = reg_mode ? ffa_partition_info_get_regs(words, &out, count)
                   : ffa_partition_info_get(info, words, &out, count);
  if (count <= 0) out.clear();
  return count;
}

// ffa_device_match_uuid (v1.0 bus notifier): learn a device's UUID from a per-UUID discovery.
void FfaCore::ffa_device_match_uuid(FfaDevice& dev, const ffa::Uuid& uuid) {
  std::vector<FfaPartitionInfo> found;
  if (ffa_partition_probe(uuid, found) <= 0) return;
  for (const FfaPartitionInfo& p : found) {
    if (p.id == dev.vm_id) dev.uuid = uuid;
  }
}

int FfaCore::ffa_setup_partitions(FfaDrvInfo& info, Device* parent) {
  if (!ffa_part_info_has_uuid_in_resp(info.version)) {
    env_.bus.bind_notifier = [this](FfaDevice& dev, const FfaDriver& drv) {
      if (dev.uuid.nil() && !drv.id_table.empty()) ffa_device_match_uuid(dev, drv.id_table[0]);
    };
    info.bus_notifier_registered = true;
  }
  std::vector<FfaPartitionInfo> parts;
  const int count = ffa_partition_probe(ffa::Uuid{}, parts);
  if (count <= 0) {
    env_.printk.log(
        LogLevel::Info,
        fmt::format("ARM FF-A: ffa_setup_partitions: No partitions found, error {}", count));
    env_.bus.bind_notifier = nullptr;
    info.bus_notifier_registered = false;
    return -kEinval;
  }
  bool host_listed = false;
  for (const FfaPartitionInfo& p : parts) {
    auto dev = ffa_device_register(env_.core, env_.bus, p, parent);
    if (ffa_part_info_has_exec_state_in_resp(info.version) &&
        !(p.properties & kFfaPartitionAarch64Exec)) {
      mode_32bit_set(*dev);
    }
    host_listed = host_listed || p.id == info.vm_id;
    devices_.push_back(std::move(dev));
    ++partition_count_;
  }
  if (host_listed) return 0;
  // ffa_setup_host_partition: a device for ourselves; with notifications off nothing else.
  FfaPartitionInfo host;
  host.id = info.vm_id;
  devices_.push_back(ffa_device_register(env_.core, env_.bus, host, parent));
  return 0;
}

void FfaCore::ffa_partitions_cleanup(FfaDrvInfo& info) {
  env_.bus.bind_notifier = nullptr;
  info.bus_notifier_registered = false;
  for (auto& dev : devices_)
    ffa_device_unregister(env_.core, env_.bus, *dev);
  devices_.clear();
  partition_count_ = 0;
}

}  // namespace ffaemu::lnx
