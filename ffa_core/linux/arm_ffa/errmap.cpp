#include "ffa_core/linux/arm_ffa/errmap.h"

#include <array>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {

int ffa_to_linux_errno(int ffa_errno) {
  // Better than a switch as long as the codes are continuous (driver.c's own comment).
  static constexpr std::array<int, 11> kErrmap{
      0,             // FFA_RET_SUCCESS
      -kEopnotsupp,  // FFA_RET_NOT_SUPPORTED
      -kEinval,      // FFA_RET_INVALID_PARAMETERS
      -kEnomem,      // FFA_RET_NO_MEMORY
      -kEbusy,       // FFA_RET_BUSY
      -kEintr,       // FFA_RET_INTERRUPTED
      -kEacces,      // FFA_RET_DENIED
      -kEagain,      // FFA_RET_RETRY
      -kEcanceled,   // FFA_RET_ABORTED
      -kEnodata,     // FFA_RET_NO_DATA
      -kEagain,      // FFA_RET_NOT_READY
  };
  const int idx = -ffa_errno;
  if (idx >= 0 && idx < static_cast<int>(kErrmap.size())) return kErrmap[idx];
  return -kEinval;
}

}  // namespace ffaemu::lnx
