// Machine::reset makes a used machine as new: every byte of every region equals a fresh
// machine's, whether only the SMCCC trampoline ran or a guest stored wherever it liked.
#include "cli/machine.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "cli/boot.h"
#include "cli/system.h"
#include "emu/layout.h"

namespace ffaemu::cli {
namespace {

// The first region whose bytes differ between the two machines, and where; empty when none do.
std::string first_difference(Machine& a, Machine& b) {
  for (const emu::RegionSpec& r : emu::layout::default_regions()) {
    const uint8_t* x = a.engine().memory().host(emu::PhysAddr{r.base}, r.size);
    const uint8_t* y = b.engine().memory().host(emu::PhysAddr{r.base}, r.size);
    for (uint64_t i = 0; i < r.size; ++i) {
      if (x[i] != y[i]) return fmt::format("{} at {:#x}", r.name, r.base + i);
    }
  }
  return "";
}

TEST(Machine, ResetAfterABoot_EveryRegionAsANewMachines) {
  Machine used;
  BootRun run = boot(SystemOptions{}, {}, nullptr, &used);
  ASSERT_TRUE(run.result.ffa_ready);
  Machine fresh;
  ASSERT_NE(first_difference(used, fresh), "");  // the boot wrote RX/TX buffers, blocks, stack
  used.reset(true);
  fresh.reset(true);
  EXPECT_EQ(first_difference(used, fresh), "");
}

TEST(Machine, ResetAfterAGuestStoredInDataAndStack_EveryRegionAsANewMachines) {
  Machine used;
  {
    System system(SystemOptions{}, {.record_calls = false, .partitions = {}}, &used);
    guest::Image image = guest::assemble(
        ".text\n.globl _start\n_start:\n"
        "ldr x1, =0x4010fff8\nmov x2, #0x5a\nstr x2, [x1]\n"  // the data region's last word
        "sub x3, sp, #4096\nstp x2, x2, [x3]\n"               // deep in the stack
        "ret\n",
        "stores.S", kGuestBase);
    emu::RunResult r = system.run_guest(image, image.symbol("_start"));
    ASSERT_TRUE(r.exited()) << (r.fault ? r.fault->message() : "");
  }
  Machine fresh;
  ASSERT_NE(first_difference(used, fresh), "");
  used.reset(true);
  fresh.reset(true);
  EXPECT_EQ(first_difference(used, fresh), "");
}

// After conduit calls only, memory the trampoline never stores to is left alone: the reset is
// the cheap one (a marker written behind the memory's back survives it).
TEST(Machine, ResetAfterOnlyConduitCalls_LeavesWhatTheTrampolineNeverTouches) {
  Machine used;
  uint8_t* marker = used.engine().memory().host(emu::PhysAddr{emu::layout::kDataBase + 0x1000}, 1);
  *marker = 0x5a;
  ASSERT_TRUE(boot(SystemOptions{}, {}, nullptr, &used).result.ffa_ready);
  used.reset(true);
  EXPECT_EQ(*marker, 0x5a);
}

// Even a guest run straight on the engine, not through System::run_guest, is noticed.
TEST(Machine, ResetAfterAGuestRunOnTheEngine_EveryRegionAsANewMachines) {
  Machine used;
  guest::Image image =
      guest::assemble(".text\n.globl _start\n_start:\nmov x2, #0x5a\nstr x2, [sp, #-64]\nret\n",
                      "push.S", kGuestBase);
  used.engine().load(image.base, image.bytes);
  ASSERT_TRUE(used.engine().run(image.symbol("_start")).exited());
  used.reset(true);
  Machine fresh;
  fresh.reset(true);
  EXPECT_EQ(first_difference(used, fresh), "");
}

}  // namespace
}  // namespace ffaemu::cli
