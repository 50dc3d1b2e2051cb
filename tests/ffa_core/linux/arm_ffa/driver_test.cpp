// The bring-up's rejection rules, buffer sizing, discovery modes, unwind and remove path, per
// generation of driver.c, with pKVM off so the calls reach the scripted firmware directly.
#include <gtest/gtest.h>

#include "ffa_core/linux/arm_ffa/errmap.h"
#include "ffa_core/linux/errno.h"
#include "ffa_core/linux/support/boot_harness.h"

namespace ffaemu::lnx::test {
namespace {

namespace fid = ffa::fid;

TEST(Errmap, FfaCodes_MapToLinuxErrnoWithEinvalOutside) {
  EXPECT_EQ(ffa_to_linux_errno(0), 0);
  EXPECT_EQ(ffa_to_linux_errno(-1), -kEopnotsupp);
  EXPECT_EQ(ffa_to_linux_errno(-2), -kEinval);
  EXPECT_EQ(ffa_to_linux_errno(-6), -kEacces);
  EXPECT_EQ(ffa_to_linux_errno(-8), -kEcanceled);
  EXPECT_EQ(ffa_to_linux_errno(-9), -kEnodata);
  EXPECT_EQ(ffa_to_linux_errno(-10), -kEagain);
  EXPECT_EQ(ffa_to_linux_errno(-11), -kEinval);
  EXPECT_EQ(ffa_to_linux_errno(1), -kEinval);
}

TEST(FfaDriver, Smccc11_NoFfaCallAndEachVariantsError) {
  for (auto [v, err] : {std::pair{FfaVariant::ModuleInit, -kEopnotsupp},
                        std::pair{FfaVariant::PlatformDriver, -kEnodev}}) {
    Boot b(v, false);
    b.fw.smccc_version = 0x10001;
    const BootResult& r = b.run();
    EXPECT_FALSE(r.ffa_ready);
    EXPECT_EQ(r.probe_error, err);
    EXPECT_TRUE(b.ffa_ids().empty());
    EXPECT_TRUE(b.logged("psci: SMC Calling Convention v1.1"));
  }
}

TEST(FfaDriver, Smccc10_NoSmcccVersionCallAndNoConduit) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.smccc_version = 0x10000;
  b.run();
  EXPECT_EQ(b.fw.ids(), (std::vector<uint64_t>{fid::kPsciVersion, fid::kPsciFeatures}));
  EXPECT_EQ(b.kernel->smccc().arm_smccc_1_1_get_conduit(), SmcccConduit::None);
  EXPECT_TRUE(b.logged("psci: SMC Calling Convention v1.0"));
}

TEST(FfaDriver, Psci01_ConflictingVersionLeavesSmccc10) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.psci_version = 0x1;
  b.run();
  EXPECT_TRUE(b.logged("psci: Conflicting PSCI version detected."));
  EXPECT_EQ(b.fw.ids(), (std::vector<uint64_t>{fid::kPsciVersion}));
}

TEST(FfaDriver, HvcMethod_EveryCallUsesHvc) {
  Boot b(FfaVariant::ModuleInit, false);
  b.config.conduit = emu::ConduitKind::Hvc;
  EXPECT_TRUE(b.run().ffa_ready);
  for (const FakeCall& c : b.fw.calls)
    EXPECT_EQ(c.conduit, emu::ConduitKind::Hvc);
}

TEST(FfaDriver, VersionNotSupported_AIsEopnotsuppAndCIsEnodev) {
  for (auto [v, err] : {std::pair{FfaVariant::ModuleInit, -kEopnotsupp},
                        std::pair{FfaVariant::PlatformDriver, -kEnodev}}) {
    Boot b(v, false);
    b.fw.ffa_version = emu::kSmcUnknown;
    const BootResult& r = b.run();
    EXPECT_EQ(r.probe_error, err);
    EXPECT_TRUE(b.logged("ARM FF-A: FFA_VERSION returned not supported"));
    EXPECT_EQ(b.ffa_ids(), (std::vector<uint64_t>{fid::kVersion}));
  }
  Boot c(FfaVariant::PlatformDriver, false);
  c.fw.ffa_version = emu::kSmcUnknown;
  c.run();
  EXPECT_TRUE(c.logged("platform arm-ffa: probe with driver arm-ffa rejects match -19") ||
              c.logged("arm-ffa arm-ffa: probe with driver arm-ffa rejects match -19"));
}

TEST(FfaDriver, VersionRules_HigherMajorLowerThanMinAndDowngrade) {
  Boot major(FfaVariant::ModuleInit, false);
  major.fw.ffa_version = 0x20000;
  EXPECT_EQ(major.run().probe_error, -kEinval);
  EXPECT_TRUE(major.logged("ARM FF-A: Incompatible v2.0! Latest supported v1.2"));
  Boot low(FfaVariant::ModuleInit, false);
  low.fw.ffa_version = 0x00009;
  EXPECT_EQ(low.run().probe_error, -kEinval);
  EXPECT_TRUE(low.logged("ARM FF-A: Incompatible v0.9! Earliest supported v1.0"));
  Boot high(FfaVariant::ModuleInit, false);
  high.fw.ffa_version = 0x10003;
  EXPECT_TRUE(high.run().ffa_ready);
  EXPECT_TRUE(high.logged("ARM FF-A: Firmware version higher than driver version, downgrading"));
  EXPECT_EQ(high.kernel->ffa_core().drv_info()->version, ffa::kV1_2);
}

TEST(FfaDriver, IdGetFailure_IsEnodevAndFreesNothingHeld) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.id_get_error = ffa::FfaError::NotSupported;
  EXPECT_EQ(b.run().probe_error, -kEnodev);
  EXPECT_TRUE(b.logged("ARM FF-A: failed to obtain VM id for self"));
  EXPECT_EQ(b.kernel->pages().used_pages(), 0u);
}

TEST(FfaDriver, BufferSize_16KPagesWith4KMinimum_PerTree) {
  const std::vector<std::pair<FfaVariant, uint32_t>> cases = {{FfaVariant::ModuleInit, 1},
                                                              {FfaVariant::RootfsInitcall, 4},
                                                              {FfaVariant::PlatformDriver, 4}};
  for (const auto& [v, pages] : cases) {
    Boot b(v, false);
    b.config.page_size = 16384;
    EXPECT_TRUE(b.run().ffa_ready);
    EXPECT_EQ(b.fw.mapped_pages, pages) << variant_name(v);
    EXPECT_EQ(b.fw.mapped->first % 16384, 0u);
  }
}

TEST(FfaDriver, BufferSize_MinimumCodesAndTreeCMaximum) {
  Boot b64(FfaVariant::ModuleInit, false);
  b64.fw.rxtx_features = 1;
  b64.run();
  EXPECT_EQ(b64.fw.mapped_pages, 16u);
  Boot b16(FfaVariant::ModuleInit, false);
  b16.fw.rxtx_features = 2;
  b16.run();
  EXPECT_EQ(b16.fw.mapped_pages, 4u);
  Boot max(FfaVariant::PlatformDriver, false);
  max.config.page_size = 65536;
  max.fw.rxtx_features = 2u << 16;  // min 4K, max 8K
  max.run();
  EXPECT_EQ(max.fw.mapped_pages, 2u);
  Boot raised(FfaVariant::PlatformDriver, false);
  raised.fw.rxtx_features = 2 | 1u << 16;  // min 16K, max 4K raised to 16K
  raised.run();
  EXPECT_EQ(raised.fw.mapped_pages, 4u);
  Boot nofeat(FfaVariant::PlatformDriver, false);
  nofeat.fw.rxtx_features_error = ffa::FfaError::NotSupported;
  nofeat.run();
  EXPECT_EQ(nofeat.fw.mapped_pages, 1u);
}

TEST(FfaDriver, TreeC_RetriesOnceWithMinimumAndLeaksTheRestOnRemove) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.config.page_size = 16384;
  b.fw.rxtx_map_result = [](uint32_t pages) {
    return pages == 4 ? std::optional(ffa::FfaError::InvalidParameters) : std::nullopt;
  };
  EXPECT_TRUE(b.run().ffa_ready);
  EXPECT_EQ(b.fw.count(fid::kRxTxMap64), 2);
  EXPECT_EQ(b.fw.mapped_pages, 1u);
  EXPECT_EQ(b.kernel->ffa_core().drv_info()->rxtx_bufsz, 4096u);
}

TEST(FfaDriver, RxTxMapFailure_LogsAndFreesBuffers) {
  Boot b(FfaVariant::RootfsInitcall, false);
  b.fw.rxtx_map_result = [](uint32_t) { return std::optional(ffa::FfaError::NoMemory); };
  EXPECT_EQ(b.run().probe_error, -kEnomem);
  EXPECT_TRUE(b.logged("ARM FF-A: failed to register FFA RxTx buffers"));
  EXPECT_EQ(b.kernel->pages().used_pages(), 0u);
}

TEST(FfaDriver, BufferAllocFailure_RxAndTxAreEnomemWithNothingHeld) {
  for (int after : {0, 1}) {
    Boot b(FfaVariant::ModuleInit, false);
    b.make().pages().fail_after(after);
    EXPECT_EQ(b.kernel->boot().probe_error, -kEnomem);
    EXPECT_EQ(b.kernel->pages().used_pages(), 0u);
    EXPECT_EQ(b.fw.count(fid::kRxTxMap64), 0);
  }
}

TEST(FfaDriver, ZeroPartitions_FailsAndUnmapsExceptTreeA) {
  for (auto [v, unmaps] :
       {std::pair{FfaVariant::ModuleInit, 0}, std::pair{FfaVariant::RootfsInitcall, 1},
        std::pair{FfaVariant::PlatformDriver, 1}}) {
    Boot b(v, false);
    b.fw.partitions.clear();
    const BootResult& r = b.run();
    EXPECT_FALSE(r.ffa_ready);
    EXPECT_EQ(r.probe_error, -kEinval);
    EXPECT_EQ(r.tpm, TpmState::Missing);
    EXPECT_EQ(b.fw.count(fid::kRxTxUnmap), unmaps) << variant_name(v);
    EXPECT_TRUE(b.logged("ARM FF-A: ffa_setup_partitions: No partitions found, error -22"));
    EXPECT_TRUE(b.logged("ARM FF-A: failed to setup partitions"));
    EXPECT_EQ(b.kernel->pages().used_pages(), 0u);
  }
}

TEST(FfaDriver, Version10_EightByteDescriptorsAndUuidFromBusNotifier) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.ffa_version = 0x10000;
  b.fw.descriptor_size = 8;
  const BootResult& r = b.run();
  ASSERT_TRUE(r.ffa_ready);
  EXPECT_EQ(r.tpm, TpmState::Bound);
  // Count query without the count-only flag releases the buffer too; then the notifier's
  // per-UUID discovery for the TPM driver.
  int count_only = 0;
  for (const FakeCall& c : b.fw.calls) {
    if (c.in.x[0] == fid::kPartitionInfoGet) count_only += c.in.x[5] != 0;
  }
  EXPECT_EQ(count_only, 0);
  EXPECT_GE(b.fw.count(fid::kRxRelease), 4);
  EXPECT_EQ(b.kernel->ffa_core().devices()[0]->uuid, tpm_uuid());
  // v1.0 descriptors carry no execution state: no 32-bit mode whatever the properties say.
  EXPECT_FALSE(b.kernel->ffa_core().devices()[0]->mode_32bit);
}

TEST(FfaDriver, RegsMode_DiscoveryLoopsOverFiveDescriptorsPerCall) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.regs_mode = true;
  for (uint16_t i = 3; i <= 7; ++i)
    b.fw.partitions.push_back({uint16_t(0x8000 + i), 1, kEchoProps, echo_uuid()});
  const BootResult& r = b.run();
  EXPECT_EQ(r.partitions, 7);
  EXPECT_EQ(b.fw.count(fid::kPartitionInfoGetRegs), 3);  // count, then [0..4], [5..6]
  EXPECT_EQ(b.fw.count(fid::kPartitionInfoGet), 0);
  EXPECT_EQ(r.tpm, TpmState::Bound);
}

TEST(FfaDriver, NotificationBitmapCreateError_LoggedAndNoInterruptProbes) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.bitmap_create_error = ffa::FfaError::NoMemory;
  EXPECT_TRUE(b.run().ffa_ready);
  EXPECT_TRUE(b.logged("ARM FF-A: Notification bitmap create error -12"));
  EXPECT_EQ(b.fw.count(fid::kNotificationBitmapDestroy), 0);
}

TEST(FfaDriver, TreeC_InterruptMappingFailsLoudlyAndNotificationsStayOff) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.run();
  EXPECT_TRUE(b.logged("ARM FF-A: Failed to create IRQ mapping!"));
  EXPECT_TRUE(b.logged("ARM FF-A: Notification setup failed -61, not enabled"));
  EXPECT_FALSE(b.kernel->ffa_core().drv_info()->notif_enabled);
}

TEST(FfaDriver, InterruptFeatureErrors_NotSupportedSilentOthersLogged) {
  Boot b(FfaVariant::ModuleInit, false);
  b.fw.unsupported_features = {1, fid::kNotificationBitmapCreate};
  b.fw.hook = [](const emu::SmcccRegs& in) -> std::optional<emu::SmcccRegs> {
    if (in.x[0] == fid::kFeatures && in.x[1] == 2) return emu::regs(fid::kError, 0, -4);
    return std::nullopt;
  };
  b.run();
  EXPECT_TRUE(b.logged("ARM FF-A: Failed to retrieve FF-A Schedule Receiver Interrupt 2"));
  EXPECT_TRUE(b.logged("ARM FF-A: Notification setup failed -95, not enabled"));
}

TEST(FfaDriver, RemovePath_TreeAUnmapsWithVmIdAndOthersWithZero) {
  for (auto [v, x1] : {std::pair{FfaVariant::ModuleInit, uint64_t{0x7} << 16},
                       std::pair{FfaVariant::RootfsInitcall, uint64_t{0}},
                       std::pair{FfaVariant::RfcRootDevice, uint64_t{0}},
                       std::pair{FfaVariant::PlatformDriverProbe, uint64_t{0}},
                       std::pair{FfaVariant::PlatformDriver, uint64_t{0}}}) {
    Boot b(v, false);
    b.fw.vm_id = 7;
    ASSERT_TRUE(b.run().ffa_ready);
    b.kernel->ffa_exit();
    EXPECT_FALSE(b.kernel->result().ffa_ready) << variant_name(v);
    EXPECT_EQ(b.kernel->result().tpm, TpmState::Missing) << variant_name(v);
    ASSERT_EQ(b.fw.calls.back().in.x[0], fid::kRxTxUnmap) << variant_name(v);
    EXPECT_EQ(b.fw.calls.back().in.x[1], x1) << variant_name(v);
    EXPECT_EQ(b.kernel->pages().used_pages(), 0u) << variant_name(v);
    EXPECT_TRUE(b.kernel->ffa_core().devices().empty());
  }
}

TEST(FfaDriver, HostListedAmongPartitions_NoExtraHostDevice) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.partitions.push_back({0, 1, kEchoProps, echo_uuid()});
  b.run();
  EXPECT_EQ(b.kernel->ffa_core().devices().size(), 3u);
}

TEST(FfaDriver, AArch32Partition_UsesSmc32DirectRequest) {
  Boot b(FfaVariant::PlatformDriver, false);
  b.fw.partitions[0].properties = 1;  // direct receive, AArch32
  EXPECT_EQ(b.run().tpm, TpmState::Bound);
  EXPECT_EQ(b.fw.count(fid::kMsgSendDirectReq), 12);
  EXPECT_TRUE(b.kernel->ffa_core().devices()[0]->mode_32bit);
}

}  // namespace
}  // namespace ffaemu::lnx::test
