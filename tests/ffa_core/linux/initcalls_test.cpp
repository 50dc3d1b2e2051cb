#include "ffa_core/linux/initcalls.h"

#include <gtest/gtest.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

TEST(Initcalls, Levels_RunInKernelOrderWithRootfsBeforeDevice) {
  std::vector<std::string_view> names;
  for (InitcallLevel l : initcall_levels())
    names.push_back(initcall_level_name(l));
  EXPECT_EQ(names, (std::vector<std::string_view>{
                       "early_initcall", "pure_initcall", "core_initcall", "core_initcall_sync",
                       "postcore_initcall", "postcore_initcall_sync", "arch_initcall",
                       "arch_initcall_sync", "subsys_initcall", "subsys_initcall_sync",
                       "fs_initcall", "fs_initcall_sync", "rootfs_initcall", "device_initcall",
                       "device_initcall_sync", "late_initcall", "late_initcall_sync"}));
}

TEST(Initcalls, LinkOrder_ArchThenSecurityThenDriversAndSwappedForDriversFirst) {
  InitcallTable t;
  t.add({InitcallLevel::Late, "drivers/base/dd.o", "deferred_probe_initcall", nullptr});
  t.add({InitcallLevel::Late, "security/integrity/ima/ima_main.o", "init_ima", nullptr});
  t.add({InitcallLevel::Late, "arch/arm64/kvm/arm.o", "arch_late", nullptr});
  t.add({InitcallLevel::Late, "drivers/firmware/arm_ffa/driver.o", "fw_late", nullptr});
  t.add({InitcallLevel::Late, "drivers/char/tpm/tpm_crb_ffa.o", "char_late", nullptr});
  t.add({InitcallLevel::Device, "kernel/x.o", "other_level", nullptr});
  auto names = [&](LinkOrder o) {
    std::vector<std::string> out;
    for (const Initcall* c : t.level(InitcallLevel::Late, o))
      out.push_back(c->name);
    return out;
  };
  EXPECT_EQ(names(LinkOrder::ArchFirst),
            (std::vector<std::string>{"arch_late", "init_ima", "char_late",
                                      "deferred_probe_initcall", "fw_late"}));
  EXPECT_EQ(names(LinkOrder::DriversFirst),
            (std::vector<std::string>{"char_late", "deferred_probe_initcall", "fw_late", "init_ima",
                                      "arch_late"}));
  EXPECT_EQ(link_rank("kernel/x.o", LinkOrder::ArchFirst), 100);
  EXPECT_EQ(link_rank("drivers/gpu/x.o", LinkOrder::ArchFirst), 29);
}

TEST(Errno, Names_ForModelledValuesAndNumbersOtherwise) {
  EXPECT_EQ(errno_name(-kEprobeDefer), "-EPROBE_DEFER");
  EXPECT_EQ(errno_name(kEnxio), "ENXIO");
  EXPECT_EQ(errno_name(-kEperm), "-EPERM");
  EXPECT_EQ(errno_name(0), "0");
  EXPECT_EQ(errno_name(-9999), "-9999");
}

}  // namespace
}  // namespace ffaemu::lnx
