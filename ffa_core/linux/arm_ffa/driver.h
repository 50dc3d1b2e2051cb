// The FF-A core driver's bring-up (drivers/firmware/arm_ffa/driver.c): FFA_VERSION negotiation,
// FFA_ID_GET, RX/TX sizing and FFA_RXTX_MAP_64, feature probes, notifications, partition
// discovery and devices, the error unwind and the remove path, for the three generations of the
// file (linux-ffa-pkvm.md section 0: A = d51b9d module_init, B = 07907b89 rootfs_initcall,
// C = 212e4a48 platform driver). Every call goes through the Conduit that ffa_transport_init chose.
#pragma once

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emu/memory.h"
#include "ffa_core/abi/ffa.h"
#include "ffa_core/linux/arm_ffa/bus.h"
#include "ffa_core/linux/config.h"
#include "ffa_core/linux/mm/page_alloc.h"
#include "ffa_core/linux/smccc/psci.h"

namespace ffaemu::lnx {

enum class FfaTree : uint8_t { A, B, C };

// Everything the core touches in the rest of the kernel.
struct FfaEnv {
  Printk& printk;
  DriverCore& core;
  FfaBus& bus;
  const Smccc& smccc;
  const Conduits& conduits;
  PageAllocator& pages;
  emu::GuestMemory& memory;
  const KernelConfig& config;
};

// struct ffa_send_direct_data: data0..data4 travel in x3..x7.
struct FfaDirectData {
  std::array<uint64_t, 5> data{};
};
// struct ffa_send_direct_data2: data[0..13] travel in x4..x17.
struct FfaDirectData2 {
  std::array<uint64_t, 14> data{};
};

// struct ffa_drv_info: what a successful bring-up holds.
struct FfaDrvInfo {
  ffa::FfaVersion version;
  uint16_t vm_id = 0;
  uint64_t rx_buffer = 0;
  uint64_t tx_buffer = 0;
  uint64_t rxtx_bufsz = 0;
  bool mem_ops_native = false;
  bool msg_direct_req2_supp = false;
  bool bitmap_created = false;
  bool bus_notifier_registered = false;
  bool notif_enabled = false;
  unsigned sched_recv_irq = 0;
  unsigned notif_pend_irq = 0;
};

class FfaCore {
 public:
  FfaCore(FfaTree tree, FfaEnv env) : tree_(tree), env_(env) {}
  FfaCore(const FfaCore&) = delete;
  FfaCore& operator=(const FfaCore&) = delete;

  [[nodiscard]] FfaTree tree() const { return tree_; }
  int ffa_transport_init();
  // From drv_info allocation to ffa_setup_partitions (ffa_init in A/B, ffa_probe in C, after the
  // transport). `parent` is the platform or root device partitions hang off (null in A/B).
  int bring_up(Device* parent);
  // ffa_exit (A/B) / ffa_remove (C): notifications, partitions, FFA_RXTX_UNMAP, buffers.
  void remove();

  [[nodiscard]] bool up() const { return up_; }
  [[nodiscard]] const std::optional<FfaDrvInfo>& drv_info() const { return drv_info_; }
  [[nodiscard]] int partition_count() const { return partition_count_; }
  // The boot stage (initcall level name) in which the bring-up last succeeded.
  [[nodiscard]] const std::optional<std::string>& ready_stage() const { return ready_stage_; }
  [[nodiscard]] const std::vector<std::unique_ptr<FfaDevice>>& devices() const { return devices_; }

  // ffa_msg_ops for client drivers.
  int sync_send_receive(FfaDevice& dev, FfaDirectData& data);
  int sync_send_receive2(FfaDevice& dev, FfaDirectData2& data);
  void mode_32bit_set(FfaDevice& dev) { dev.mode_32bit = true; }

 private:
  emu::SmcccRegs invoke_ffa_fn(const emu::SmcccRegs& args) { return invoke_->invoke(args); }
  void pr(LogLevel level, std::string_view message);

  int ffa_version_check(ffa::FfaVersion& version);
  int ffa_id_get(uint16_t& vm_id);
  int ffa_features(uint32_t func_feat_id, uint32_t* if_props_1);
  int ffa_rxtx_map(uint64_t tx_buf, uint64_t rx_buf, uint32_t pg_cnt);
  int ffa_rxtx_unmap(uint16_t vm_id);
  int ffa_rx_release();
  int map_buffers(FfaDrvInfo& info);
  void ffa_drvinfo_flags_init(FfaDrvInfo& info);

  // notifications.cpp
  void ffa_notifications_setup(FfaDrvInfo& info);
  void ffa_notifications_cleanup(FfaDrvInfo& info);
  int ffa_irq_map(uint32_t id);

  // discovery.cpp
  int ffa_partition_probe(const ffa::Uuid& uuid, std::vector<FfaPartitionInfo>& out);
  int ffa_partition_info_get(const FfaDrvInfo& info, const std::array<uint32_t, 4>& uuid,
                             std::vector<FfaPartitionInfo>* buffer, int num_partitions);
  int ffa_partition_info_get_regs(const std::array<uint32_t, 4>& uuid,
                                  std::vector<FfaPartitionInfo>* buffer, int num_parts);
  int ffa_setup_partitions(FfaDrvInfo& info, Device* parent);
  void ffa_partitions_cleanup(FfaDrvInfo& info);
  void ffa_device_match_uuid(FfaDevice& dev, const ffa::Uuid& uuid);

  // messaging.cpp
  int ffa_msg_send_direct_req(uint16_t src, uint16_t dst, bool mode_32bit, FfaDirectData& data);
  int ffa_msg_send_direct_req2(uint16_t src, uint16_t dst, const ffa::Uuid& uuid,
                               FfaDirectData2& data);
  void ffa_msg_send_wait_for_completion(emu::SmcccRegs& ret);

  FfaTree tree_;
  FfaEnv env_;
  emu::Conduit* invoke_ = nullptr;
  // The kernel's global drv_info: allocated first thing in the bring-up (partition devices and
  // their drivers use it before the bring-up returns), freed on failure and on remove.
  std::optional<FfaDrvInfo> drv_info_;
  bool up_ = false;
  std::optional<std::string> ready_stage_;
  std::vector<std::unique_ptr<FfaDevice>> devices_;
  int partition_count_ = 0;
};

}  // namespace ffaemu::lnx
