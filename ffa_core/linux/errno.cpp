#include "ffa_core/linux/errno.h"

#include <array>
#include <utility>

#include <fmt/format.h>

namespace ffaemu::lnx {

std::string errno_name(int err) {
  static constexpr std::array<std::pair<int, const char*>, 16> kNames{{
      {kEperm, "EPERM"},
      {kEnoent, "ENOENT"},
      {kEintr, "EINTR"},
      {kEnxio, "ENXIO"},
      {kEnoexec, "ENOEXEC"},
      {kEagain, "EAGAIN"},
      {kEnomem, "ENOMEM"},
      {kEacces, "EACCES"},
      {kEbusy, "EBUSY"},
      {kEexist, "EEXIST"},
      {kEnodev, "ENODEV"},
      {kEinval, "EINVAL"},
      {kEnodata, "ENODATA"},
      {kEopnotsupp, "EOPNOTSUPP"},
      {kEcanceled, "ECANCELED"},
      {kEprobeDefer, "EPROBE_DEFER"},
  }};
  for (const auto& [value, name] : kNames) {
    if (err == -value) return fmt::format("-{}", name);
    if (err == value) return name;
  }
  return fmt::format("{}", err);
}

}  // namespace ffaemu::lnx
