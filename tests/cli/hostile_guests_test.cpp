// Hostile guests against the whole stack (pKVM installed and finalised, Hafnium SPMC): each one
// gets the exact fault (kind, PC, address, instruction) or the FF-A error the spec names, and the
// system stays usable for the next run.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "cli/system.h"
#include "ffa_core/abi/ffa.h"

namespace ffaemu::cli {
namespace {

using emu::FaultKind;

class HostileGuest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(system.install_and_finalize_pkvm(), 0); }

  // Assembles `body` after a `_start:` label at kGuestBase and runs it.
  emu::RunResult run(const std::string& body, uint64_t budget = 1'000'000) {
    image = guest::assemble(".text\n.globl _start\n_start:\n" + body, "hostile.S", kGuestBase);
    system.engine().load(image.base, image.bytes);
    emu::RunOptions options;
    options.budget = budget;
    return system.engine().run(image.symbol("_start"), options);
  }
  uint64_t at(const std::string& label) const { return image.symbol(label); }

  // The next run after a fault works and reaches the firmware.
  void expect_usable() {
    emu::RunResult r = run("ldr w0, =0x84000063\nldr w1, =0x10002\nsmc #0\nret\n");
    ASSERT_TRUE(r.exited()) << (r.fault ? r.fault->message() : "");
    EXPECT_EQ(system.engine().reg(0), 0x10002u);
  }

  static SystemOptions options() {
    SystemOptions o;
    return o;
  }

  System system{options(), {.record_calls = false, .partitions = {}}};
  guest::Image image;
};

TEST_F(HostileGuest, UnmappedRead_ExactPcAddressAndInstruction) {
  emu::RunResult r = run("mov x1, #0x2000\nnop\nbad: ldr x2, [x1, #8]\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::ReadUnmapped);
  EXPECT_EQ(r.fault->pc, at("bad"));
  EXPECT_EQ(r.fault->address, 0x2008u);
  EXPECT_EQ(r.fault->size, 8u);
  EXPECT_EQ(r.fault->disasm, "ldr x2, [x1, #8]");
  expect_usable();
}

TEST_F(HostileGuest, UnmappedWrite_ExactPcAndAddress) {
  emu::RunResult r = run("ldr x1, =0x70000000\nbad: str w2, [x1]\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::WriteUnmapped);
  EXPECT_EQ(r.fault->pc, at("bad"));
  EXPECT_EQ(r.fault->address, 0x70000000u);
  EXPECT_EQ(r.fault->size, 4u);
  expect_usable();
}

TEST_F(HostileGuest, FetchFromUnmapped_NamesTargetAndBranch) {
  emu::RunResult r = run("ldr x1, =0x30000000\njump: br x1\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::FetchUnmapped);
  EXPECT_EQ(r.fault->pc, 0x30000000u);
  EXPECT_NE(r.fault->detail.find(fmt::format("branched there from pc {:#x}: `br x1`", at("jump"))),
            std::string::npos)
      << r.fault->detail;
  expect_usable();
}

TEST_F(HostileGuest, SelfModifyingCode_IsAWriteToTheReadOnlyCodeRegion) {
  emu::RunResult r = run("adr x1, patch\nldr w2, =0xd503201f\nbad: str w2, [x1]\npatch: ret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::WriteProtected);
  EXPECT_EQ(r.fault->pc, at("bad"));
  EXPECT_EQ(r.fault->address, at("patch"));
  EXPECT_EQ(r.fault->detail, "in region 'code' (r-x)");
  expect_usable();
}

TEST_F(HostileGuest, UndefinedInstruction_AndBreakpoint_StopAtTheInstruction) {
  emu::RunResult r = run("nop\nbad: udf #0x42\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::UndefinedInstruction);
  EXPECT_EQ(r.fault->pc, at("bad"));
  EXPECT_EQ(r.fault->disasm, "udf #0x42");
  r = run("nop\nbad: brk #0x7\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::Breakpoint);
  EXPECT_EQ(r.fault->pc, at("bad"));
  expect_usable();
}

TEST_F(HostileGuest, MisalignedStack_IsAnSpAlignmentFault) {
  emu::RunResult r = run("sub sp, sp, #4\nbad: stp x0, x1, [sp, #-16]!\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::SpAlignment);
  EXPECT_EQ(r.fault->pc, at("bad"));
  expect_usable();
}

TEST_F(HostileGuest, InfiniteLoop_EndsOnTheBudgetAtTheLoop) {
  emu::RunResult r = run("nop\nspin: b spin\n", 5000);
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::BudgetExhausted);
  EXPECT_EQ(r.fault->pc, at("spin"));
  expect_usable();
}

TEST_F(HostileGuest, WaitForInterrupt_IsReportedNotSlept) {
  emu::RunResult r = run("nop\nbad: wfi\nret\n");
  ASSERT_TRUE(r.fault);
  EXPECT_EQ(r.fault->kind, FaultKind::WaitForInterrupt);
  EXPECT_EQ(r.fault->pc, at("bad"));
  expect_usable();
}

TEST_F(HostileGuest, StormOfAMillionCalls_AllAnsweredWithinTheBudget) {
  emu::RunResult r =
      run("ldr w0, =0x84000063\nldr w1, =0x10002\nsmc #0\n"
          "ldr x19, =1000000\n"
          "loop: ldr w0, =0x84000069\nsmc #0\nsubs x19, x19, #1\nb.ne loop\nret\n",
          10'000'000);
  ASSERT_TRUE(r.exited()) << (r.fault ? r.fault->message() : "");
  EXPECT_EQ(r.traps, 1'000'001u);
  EXPECT_EQ(system.engine().reg(0), ffa::fid::kSuccess);
}

// Guest-side FF-A calls with bad buffers: the FF-A errors the spec and the models name.
class HostileBuffers : public HostileGuest {
 protected:
  emu::SmcccRegs map(uint64_t tx, uint64_t rx, uint64_t pages) {
    std::string body = fmt::format(
        "ldr w0, =0x84000063\nldr w1, =0x10002\nsmc #0\n"
        "ldr x0, =0xc4000066\nldr x1, ={:#x}\nldr x2, ={:#x}\nmov x3, #{}\nsmc #0\nret\n",
        tx, rx, pages);
    emu::RunResult r = run(body);
    EXPECT_TRUE(r.exited());
    emu::SmcccRegs out;
    for (int i = 0; i < emu::kSmcccRegCount; ++i)
      out.x[i] = system.engine().reg(i);
    return out;
  }
};

TEST_F(HostileBuffers, OutsideRam_IsInvalidParametersAtEl2AndNothingIsRegistered) {
  emu::SmcccRegs out = map(0x1000, 0x2000, 1);
  EXPECT_EQ(out.w(0), ffa::fid::kError);
  EXPECT_EQ(out.x[2], 0xfffffffffffffffeull);  // INVALID_PARAMETERS, sign-extended by pKVM
  EXPECT_FALSE(system.pkvm()->host_buffers());
}

// pKVM does not compare TX with RX: sharing the same page with EL2 twice fails, and
// do_ffa_rxtx_map answers INVALID_PARAMETERS (sign-extended) after undoing the first share.
TEST_F(HostileBuffers, Overlapping_IsInvalidParametersAndNothingIsRegistered) {
  emu::SmcccRegs out = map(0x80000000, 0x80000000, 1);
  EXPECT_EQ(out.x[0], ffa::fid::kError);
  EXPECT_EQ(out.x[2], 0xfffffffffffffffeull);
  EXPECT_EQ(system.pkvm()->host_page_owner(0x80000000), pkvm::PageOwner::Owned);
  EXPECT_FALSE(system.pkvm()->host_buffers());
}

// The code region is host RAM (kernel text) to pKVM's host stage-2, so EL2 accepts it and maps
// its own buffers at EL3; the SPMC, asked directly, refuses memory the caller cannot write.
TEST_F(HostileBuffers, BufferInCodeRegion_PkvmAcceptsHostOwnedPages) {
  emu::SmcccRegs out = map(emu::layout::kCodeBase + 0x8000, emu::layout::kCodeBase + 0x9000, 1);
  EXPECT_EQ(out.w(0), ffa::fid::kSuccess);
  ASSERT_TRUE(system.pkvm()->host_buffers());
  EXPECT_EQ(system.pkvm()->host_buffers()->tx, emu::layout::kCodeBase + 0x8000);
}

// Hafnium requires writable NS memory; TF-A's SPMD hands the code back as a 32-bit value.
TEST(HostileBuffersWithoutPkvm, BufferInCodeRegion_IsInvalidParametersFromTheSpmc) {
  SystemOptions o;
  ASSERT_FALSE(o.set("pkvm", "off"));
  System system(o, {.record_calls = false, .partitions = {}});
  emu::Conduit& c = system.conduit();
  c.invoke(emu::regs(ffa::fid::kVersion, 0x10002));
  emu::SmcccRegs out = c.invoke(emu::regs(ffa::fid::kRxTxMap64, emu::layout::kCodeBase + 0x8000,
                                          emu::layout::kCodeBase + 0x9000, 1));
  EXPECT_EQ(out.x[0], ffa::fid::kError);
  EXPECT_EQ(out.x[2], 0xfffffffeull);
  EXPECT_FALSE(system.firmware().spmc().ns_endpoint().rxtx);
}

}  // namespace
}  // namespace ffaemu::cli
