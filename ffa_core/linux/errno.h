// The Linux errno values the boot model returns and logs (include/uapi/asm-generic/errno-base.h,
// errno.h; EPROBE_DEFER from include/linux/errno.h), and their names for log lines.
#pragma once

#include <string>

namespace ffaemu::lnx {

inline constexpr int kEperm = 1;
inline constexpr int kEnoent = 2;
inline constexpr int kEintr = 4;
inline constexpr int kEnxio = 6;
inline constexpr int kEnoexec = 8;
inline constexpr int kEagain = 11;
inline constexpr int kEnomem = 12;
inline constexpr int kEacces = 13;
inline constexpr int kEbusy = 16;
inline constexpr int kEexist = 17;
inline constexpr int kEnodev = 19;
inline constexpr int kEinval = 22;
inline constexpr int kEnodata = 61;
inline constexpr int kEopnotsupp = 95;
inline constexpr int kEcanceled = 125;
inline constexpr int kEprobeDefer = 517;

// "-ENXIO" for -6, "0" for 0, the number itself for values without a name here.
[[nodiscard]] std::string errno_name(int err);

}  // namespace ffaemu::lnx
