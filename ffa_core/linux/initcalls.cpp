#include "ffa_core/linux/initcalls.h"

#include <algorithm>
#include <array>

namespace ffaemu::lnx {
namespace {

constexpr std::array<InitcallLevel, 17> kLevels{
    InitcallLevel::Early,      InitcallLevel::Pure,     InitcallLevel::Core,
    InitcallLevel::CoreSync,   InitcallLevel::Postcore, InitcallLevel::PostcoreSync,
    InitcallLevel::Arch,       InitcallLevel::ArchSync, InitcallLevel::Subsys,
    InitcallLevel::SubsysSync, InitcallLevel::Fs,       InitcallLevel::FsSync,
    InitcallLevel::Rootfs,     InitcallLevel::Device,   InitcallLevel::DeviceSync,
    InitcallLevel::Late,       InitcallLevel::LateSync,
};

constexpr std::array<std::string_view, 17> kNames{
    "early_initcall",     "pure_initcall",          "core_initcall",        "core_initcall_sync",
    "postcore_initcall",  "postcore_initcall_sync", "arch_initcall",        "arch_initcall_sync",
    "subsys_initcall",    "subsys_initcall_sync",   "fs_initcall",          "fs_initcall_sync",
    "rootfs_initcall",    "device_initcall",        "device_initcall_sync", "late_initcall",
    "late_initcall_sync",
};

bool under(std::string_view object, std::string_view dir) {
  return object.starts_with(dir);
}

}  // namespace

std::span<const InitcallLevel> initcall_levels() {
  return kLevels;
}

std::string_view initcall_level_name(InitcallLevel level) {
  return kNames[static_cast<size_t>(level)];
}

int link_rank(std::string_view object, LinkOrder order) {
  constexpr std::array<std::string_view, 3> kDriverDirs{"drivers/char/", "drivers/base/",
                                                        "drivers/firmware/"};
  const int arch = order == LinkOrder::ArchFirst ? 0 : 2;
  const int drivers = order == LinkOrder::ArchFirst ? 2 : 0;
  if (under(object, "arch/")) return arch * 10;
  if (under(object, "security/")) return 10;
  if (under(object, "drivers/")) {
    for (size_t i = 0; i < kDriverDirs.size(); ++i) {
      if (under(object, kDriverDirs[i])) return drivers * 10 + static_cast<int>(i);
    }
    return drivers * 10 + 9;
  }
  return 100;
}

std::vector<const Initcall*> InitcallTable::level(InitcallLevel level, LinkOrder order) const {
  std::vector<const Initcall*> out;
  for (const Initcall& c : calls_) {
    if (c.level == level) out.push_back(&c);
  }
  std::stable_sort(out.begin(), out.end(), [order](const Initcall* a, const Initcall* b) {
    return link_rank(a->object, order) < link_rank(b->object, order);
  });
  return out;
}

}  // namespace ffaemu::lnx
