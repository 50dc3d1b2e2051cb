// handle_host_hcall: no FF-A over hvc, the host_hcall[] bounds and the init-only gate.
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

class HostHvcTest : public PkvmTest {
 protected:
  void SetUp() override { ASSERT_EQ(pkvm->install(1, 2), 0); }
  static SmcccRegs not_supported(SmcccRegs in) {
    in.x[0] = kAllOnes;
    return in;
  }
};

TEST_F(HostHvcTest, HostHvc_FfaVersion_IsSmcccNotSupported) {
  pkvm->finalize();
  el3.clear();
  SmcccRegs in = pattern(fid::kVersion, 0x100);
  EXPECT_EQ(hvc(in), not_supported(in));
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_FALSE(pkvm->version_negotiated());
}

TEST_F(HostHvcTest, HostHvc_FfaRxTxMapBeforeFinalize_IsSmcccNotSupported) {
  SmcccRegs in = emu::regs(fid::kRxTxMap64, host_tx(), host_rx(), 1);
  EXPECT_EQ(hvc(in), not_supported(in));
  EXPECT_FALSE(pkvm->host_buffers());
}

TEST_F(HostHvcTest, HostHvc_KvmHypInitSlot_IsNotSupported) {
  SmcccRegs in = emu::regs(kKvmHostSmcccIdBase);
  EXPECT_EQ(hvc(in), not_supported(in));
}

TEST_F(HostHvcTest, HostHvc_PastTableEnd_IsNotSupported) {
  SmcccRegs in = emu::regs(kKvmHostSmcccIdBase + host_hcall_names().size());
  EXPECT_EQ(hvc(in), not_supported(in));
}

TEST_F(HostHvcTest, HostHvc_InitOnlyCallAfterFinalize_IsRefused) {
  pkvm->finalize();
  for (uint64_t id = 1; id < kHcallPkvmProtFinalize; ++id) {
    SmcccRegs in = pattern(kKvmHostSmcccIdBase + id, 0x10);
    EXPECT_EQ(hvc(in), not_supported(in)) << host_hcall_names()[id];
  }
}

TEST_F(HostHvcTest, HostHvc_EnableSsbsBeforeFinalize_Succeeds) {
  EXPECT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + 4, 9)), emu::regs(0, 9));
  EXPECT_TRUE(pkvm->hcall_state().ssbs_enabled);
}

TEST_F(HostHvcTest, HostHvc_ProtFinalizeAfterFinalize_IsEperm) {
  pkvm->finalize();
  EXPECT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + kHcallPkvmProtFinalize)),
            emu::regs(0, static_cast<uint64_t>(-kEperm)));
}

TEST_F(HostHvcTest, HostHvc_ShareHypWithSveHint_SharesPage) {
  pkvm->finalize();
  EXPECT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + 8 + 0x10000, kHostRam / 4096)), emu::regs(0, 0));
  EXPECT_EQ(pkvm->host_page_owner(kHostRam), PageOwner::SharedWithHyp);
  EXPECT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + 8, kHostRam / 4096)),
            emu::regs(0, static_cast<uint64_t>(-kEperm)));
  EXPECT_EQ(hvc(emu::regs(kKvmHostSmcccIdBase + 9, kHostRam / 4096)), emu::regs(0, 0));
  EXPECT_EQ(pkvm->host_page_owner(kHostRam), PageOwner::Owned);
}

TEST_F(HostHvcTest, HostHvc_UnmodelledHypercall_StopsTheRun) {
  pkvm->finalize();
  emu::TrapReply r =
      pkvm->on_trap(emu::Trap{emu::ConduitKind::Hvc, 0, 0, 1, emu::regs(kKvmHostSmcccIdBase + 17)});
  EXPECT_EQ(r.action, emu::TrapAction::Stop);
}

}  // namespace
}  // namespace ffaemu::pkvm::test
