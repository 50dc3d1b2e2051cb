// Notification setup (driver.c ffa_notifications_setup, ffa_irq_map, ffa_notifications_cleanup).
// The emulated machine's device tree has neither an "arm,gic-v3" node (trees A/B) nor an
// "arm,ffa" node (tree C), so interrupt mapping fails and notifications stay off; failures here
// never fail the bring-up.
#include <fmt/format.h>

#include "ffa_core/linux/arm_ffa/driver.h"
#include "ffa_core/linux/arm_ffa/errmap.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

namespace fid = ffa::fid;

constexpr uint32_t kFfaFeatNotificationPendingInt = 1;
constexpr uint32_t kFfaFeatScheduleReceiverInt = 2;

}  // namespace

int FfaCore::ffa_irq_map(uint32_t id) {
  const char* what = id == kFfaFeatNotificationPendingInt ? "Notification Pending Interrupt"
                                                          : "Schedule Receiver Interrupt";
  uint32_t intid = 0;
  const int ret = ffa_features(id, &intid);
  if (ret < 0) {
    if (ret != -kEopnotsupp)
      pr(LogLevel::Err, fmt::format("Failed to retrieve FF-A {} {}", what, id));
    return ret;
  }
  // A/B: of_find_compatible_node(NULL, NULL, "arm,gic-v3") is NULL -> -ENXIO, silently.
  if (tree_ != FfaTree::C) return -kEnxio;
  // C: ffa_dt_map_irq finds no "arm,ffa" node (-ENXIO), so no IRQ.
  pr(LogLevel::Err, "Failed to create IRQ mapping!");
  return -kEnodata;
}

void FfaCore::ffa_notifications_setup(FfaDrvInfo& info) {
  int ret = ffa_features(fid::kNotificationBitmapCreate, nullptr);
  if (!ret) {
    const emu::SmcccRegs r = invoke_ffa_fn(
        emu::regs(fid::kNotificationBitmapCreate, info.vm_id, env_.config.nr_cpu_ids));
    if (r.x[0] == fid::kError) {
      pr(LogLevel::Err, fmt::format("Notification bitmap create error {}",
                                    ffa_to_linux_errno(static_cast<int>(r.x[2]))));
      return;
    }
    info.bitmap_created = true;
  }
  ffa_irq_map(kFfaFeatScheduleReceiverInt);
  ret = ffa_irq_map(kFfaFeatNotificationPendingInt);
  // Neither interrupt mapped (the only outcome here): goto cleanup.
  pr(LogLevel::Info, fmt::format("Notification setup failed {}, not enabled", ret));
  ffa_notifications_cleanup(info);
}

void FfaCore::ffa_notifications_cleanup(FfaDrvInfo& info) {
  if (info.bitmap_created) {
    invoke_ffa_fn(emu::regs(fid::kNotificationBitmapDestroy, info.vm_id));
    info.bitmap_created = false;
  }
  info.notif_enabled = false;
}

}  // namespace ffaemu::lnx
