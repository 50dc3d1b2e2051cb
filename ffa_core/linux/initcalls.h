// Initcall levels in run order and link order inside a level (include/linux/init.h,
// include/asm-generic/vmlinux.lds.h INIT_CALLS, top-level Kbuild), and do_initcalls' record of
// every call's return value.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ffa_core/linux/config.h"

namespace ffaemu::lnx {

// rootfs sits between fs_initcall_sync and device_initcall (the tail of the level-5 pass).
enum class InitcallLevel : uint8_t {
  Early,
  Pure,
  Core,
  CoreSync,
  Postcore,
  PostcoreSync,
  Arch,
  ArchSync,
  Subsys,
  SubsysSync,
  Fs,
  FsSync,
  Rootfs,
  Device,
  DeviceSync,
  Late,
  LateSync,
};

[[nodiscard]] std::span<const InitcallLevel> initcall_levels();
[[nodiscard]] std::string_view initcall_level_name(InitcallLevel level);  // "device_initcall_sync"

struct Initcall {
  InitcallLevel level = InitcallLevel::Device;
  std::string object;  // the object it links from, "drivers/firmware/arm_ffa/driver.o"
  std::string name;    // the function, "ffa_init"
  std::function<int()> fn;
};

struct InitcallRecord {
  InitcallLevel level = InitcallLevel::Device;
  std::string name;
  int ret = 0;
  friend bool operator==(const InitcallRecord&, const InitcallRecord&) = default;
};

// The position of an object in vmlinux: arch/ before security/ before drivers/ (swapped arch/
// and drivers/ for drivers-first); inside drivers/ char/ before base/ before firmware/
// (drivers/Makefile). Unknown directories sort after the known ones.
[[nodiscard]] int link_rank(std::string_view object, LinkOrder order);

class InitcallTable {
 public:
  void add(Initcall call) { calls_.push_back(std::move(call)); }
  // The calls of one level in link order; registration order breaks ties within an object.
  [[nodiscard]] std::vector<const Initcall*> level(InitcallLevel level, LinkOrder order) const;

 private:
  std::vector<Initcall> calls_;
};

}  // namespace ffaemu::lnx
