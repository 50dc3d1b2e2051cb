// FFA_VERSION at the SPMC (DEN0077 v1.2 section 13.2): Hafnium api_ffa_version as reached through
// the SPMD's FFA_VERSION framework message, TF-A el3_spmc ffa_version_handler. The lock rules
// differ (ffa-smccc.md section 2.4).
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

constexpr uint32_t kNotSupported = 0xffffffff;

}  // namespace

uint32_t Spmc::negotiate_version(uint32_t requested_raw) {
  const FfaVersion requested = FfaVersion::from_raw(requested_raw);
  const FfaVersion own = config_.ffa_version;
  const bool compatible = requested.valid() && requested.compatible_with_callee(own);
  if (hafnium()) {
    // The framework message is an FFA_MSG_SEND_DIRECT_REQ, which closes negotiation in
    // hvc_smc_handler once handled, whatever api_ffa_version answered.
    const bool was_locked = ns_.negotiated;
    ns_.negotiated = true;
    if (!compatible) {
      note(fmt::format("FFA_VERSION: requested {} is not compatible with {}", requested, own));
      return kNotSupported;
    }
    if (was_locked && ns_.version != requested) {
      note(fmt::format("FFA_VERSION: cannot change from {} to {} after negotiation",
                       caller_version(), requested));
      return kNotSupported;
    }
    ns_.version = requested;
    return own.raw();
  }
  if (!requested.valid()) return kNotSupported;
  if (ns_.negotiated) {
    note(fmt::format("FFA_VERSION: endpoint 0 cannot renegotiate (requested {})", requested));
    return ns_.version ? ns_.version->raw() : kNotSupported;
  }
  if (compatible) {
    ns_.version = requested;
  } else {
    note(fmt::format("FFA_VERSION: incompatible {} (SPMC {})", requested, own));
  }
  return own.raw();
}

}  // namespace ffaemu::fw
