// ffa_linux_errmap[] / ffa_to_linux_errno() (drivers/firmware/arm_ffa/driver.c): FF-A status
// codes to Linux errno, indexed by the negated code, -EINVAL outside the table.
#pragma once

namespace ffaemu::lnx {

[[nodiscard]] int ffa_to_linux_errno(int ffa_errno);

}  // namespace ffaemu::lnx
