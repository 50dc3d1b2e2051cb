// FFA_NOTIFICATION_BITMAP_CREATE/DESTROY (DEN0077 v1.2 sections 10.2.1-10.2.2) as Hafnium's SPMC
// answers the normal world (ffa_notifications_bitmap_create/destroy); TF-A's EL3 SPMC has no
// notification support.
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

// Hafnium keeps notification state for at most MAX_VMS normal-world VMs.
constexpr size_t kMaxNwdBitmaps = 16;

}  // namespace

Reply Spmc::notification_bitmap_create(const SmcccRegs& in) {
  const EndpointId vm{static_cast<uint16_t>(in.w(1) & 0xffff)};
  const uint32_t vcpu_count = in.w(2);
  if (vm.secure()) {
    note(fmt::format("FFA_NOTIFICATION_BITMAP_CREATE: {} is not a VM ID", vm));
    return ffa_error(FfaError::InvalidParameters);
  }
  if (bitmaps_.contains(vm.value())) {
    note(fmt::format("FFA_NOTIFICATION_BITMAP_CREATE: {} already has a bitmap", vm));
    return ffa_error(FfaError::Denied);
  }
  if (bitmaps_.size() >= kMaxNwdBitmaps) {
    note(fmt::format("FFA_NOTIFICATION_BITMAP_CREATE: no room for {}", vm));
    return ffa_error(FfaError::NoMemory);
  }
  bitmaps_.emplace(vm.value(), NotificationBitmap{vcpu_count});
  return ret(8, ffa::success_reply());
}

Reply Spmc::notification_bitmap_destroy(const SmcccRegs& in) {
  const EndpointId vm{static_cast<uint16_t>(in.w(1) & 0xffff)};
  if (vm.secure()) {
    note(fmt::format("FFA_NOTIFICATION_BITMAP_DESTROY: {} is not a VM ID", vm));
    return ffa_error(FfaError::InvalidParameters);
  }
  if (bitmaps_.erase(vm.value()) == 0) {
    note(fmt::format("FFA_NOTIFICATION_BITMAP_DESTROY: {} has no bitmap", vm));
    return ffa_error(FfaError::Denied);
  }
  return ret(8, ffa::success_reply());
}

}  // namespace ffaemu::fw
