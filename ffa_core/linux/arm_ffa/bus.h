// The arm_ffa bus (drivers/firmware/arm_ffa/bus.c): partition devices "arm-ffa-N" (IDA from 1),
// UUID matching (a v1.0 device with a null UUID matches any driver and is then refused by
// ffa_device_probe), ffa_driver_register, and the RFC v1 root device "arm-ffa" that only the
// root driver (NULL id table) matches.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <vector>

#include "ffa_core/abi/uuid.h"
#include "ffa_core/linux/driver_core/dd.h"

namespace ffaemu::lnx {

// struct ffa_partition_info as the driver keeps it.
struct FfaPartitionInfo {
  uint16_t id = 0;
  uint16_t exec_ctxt = 0;
  uint32_t properties = 0;
  ffa::Uuid uuid;
};

// FFA_PARTITION_* property bits (include/linux/arm_ffa.h).
inline constexpr uint32_t kFfaPartitionDirectRecv = 1u << 0;
inline constexpr uint32_t kFfaPartitionAarch64Exec = 1u << 8;
inline constexpr uint32_t kFfaPartitionDirectReq2Recv = 1u << 9;

struct FfaDevice : Device {
  int id = 0;  // the N of "arm-ffa-N"; 0 for the RFC root device
  uint16_t vm_id = 0;
  uint32_t properties = 0;
  ffa::Uuid uuid;
  bool mode_32bit = false;
  bool root = false;
};

struct FfaDriver : Driver {
  std::vector<ffa::Uuid> id_table;  // empty: the RFC root driver's NULL id table
  std::function<int(FfaDevice&)> fprobe;
  std::function<void(FfaDevice&)> fremove;
};

// ffa_partition_check_property and the arm_ffa.h helpers tpm_crb_ffa uses.
[[nodiscard]] inline bool ffa_partition_supports_direct_recv(const FfaDevice& dev) {
  return (dev.properties & kFfaPartitionDirectRecv) != 0;
}
[[nodiscard]] inline bool ffa_partition_supports_direct_req2_recv(const FfaDevice& dev) {
  return (dev.properties & kFfaPartitionDirectReq2Recv) != 0 && !dev.mode_32bit;
}

class FfaBus final : public BusType {
 public:
  FfaBus() : BusType("arm_ffa") {}
  [[nodiscard]] bool match(Device& dev, const Driver& drv) override;
  // ffa_device_probe: -ENODEV while the UUID is still null (v1.0), else the driver's probe.
  int probe(Device& dev) override;
  void remove(Device& dev) override;
  void notify_bind_driver(Device& dev) override;

  // The core's bus notifier (ffa_bus_notifier), installed for FF-A v1.0 only.
  std::function<void(FfaDevice&, const FfaDriver&)> bind_notifier;

  [[nodiscard]] int ida_alloc_min1();
  void ida_free(int id) { ids_.erase(id); }

 private:
  std::set<int> ids_;
};

int ffa_driver_register(DriverCore& core, FfaBus& bus, FfaDriver& drv);
// nullptr where the kernel returns NULL is not modelled: device_register cannot fail here.
[[nodiscard]] std::unique_ptr<FfaDevice> ffa_device_register(DriverCore& core, FfaBus& bus,
                                                             const FfaPartitionInfo& info,
                                                             Device* parent);
void ffa_device_unregister(DriverCore& core, FfaBus& bus, FfaDevice& dev);

}  // namespace ffaemu::lnx
