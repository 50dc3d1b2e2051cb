// The five FF-A core variants booted against a scripted firmware and a pKVM lifecycle without a
// proxy: when the core comes up, through which initcall, and who misses it.
#include <gtest/gtest.h>

#include "ffa_core/linux/errno.h"
#include "ffa_core/linux/support/boot_harness.h"

namespace ffaemu::lnx::test {
namespace {

namespace fid = ffa::fid;

std::string dump(const Boot& b) {
  std::string s;
  for (const LogLine& l : b.kernel->log())
    s += "  " + l.text + "\n";
  for (const InitcallRecord& r : b.kernel->result().initcalls) {
    s += fmt::format("  [{}] {} = {}\n", initcall_level_name(r.level), r.name, r.ret);
  }
  for (uint64_t id : b.fw.ids())
    s += fmt::format(" {:#x}", id);
  return s;
}

// The bring-up against a v1.2 firmware without pKVM's refusals (section 3.2 of the reference).
const std::vector<uint64_t> kBringUp = {fid::kVersion,
                                        fid::kIdGet,
                                        fid::kFeatures,
                                        fid::kRxTxMap64,
                                        fid::kFeatures,
                                        fid::kFeatures,
                                        fid::kFeatures,
                                        fid::kNotificationBitmapCreate,
                                        fid::kFeatures,
                                        fid::kFeatures,
                                        fid::kNotificationBitmapDestroy,
                                        fid::kFeatures,
                                        fid::kPartitionInfoGet,
                                        fid::kPartitionInfoGet,
                                        fid::kRxRelease};

TEST(Variants, ModuleInit_PkvmOff_ExactBringUpSequenceAndTpmBeforeIma) {
  Boot b(FfaVariant::ModuleInit, false);
  const BootResult& r = b.run();
  ASSERT_TRUE(r.ffa_ready) << dump(b);
  EXPECT_EQ(r.ready_at, "device_initcall");
  EXPECT_EQ(r.probe_error, std::nullopt);
  EXPECT_EQ(r.partitions, 2);
  EXPECT_EQ(r.tpm, TpmState::Bound);
  EXPECT_EQ(r.ima, ImaState::Tpm);
  std::vector<uint64_t> ids = b.ffa_ids();
  std::vector<uint64_t> expected = kBringUp;
  expected.push_back(fid::kMsgSendDirectReq2);  // tpm_crb_ffa probe: GET_INTERFACE_VERSION
  expected.insert(expected.end(), 11, fid::kMsgSendDirectReq2);  // IMA: 10 PCR reads + extend
  EXPECT_EQ(ids, expected) << dump(b);
  // FEATURES arguments in order: RXTX_MAP_64, MEM_LEND_64, REQ2, BITMAP_CREATE, 2, 1, REGS.
  std::vector<uint64_t> features;
  for (const FakeCall& c : b.fw.calls) {
    if (c.in.x[0] == fid::kFeatures) features.push_back(c.in.x[1]);
  }
  EXPECT_EQ(features, (std::vector<uint64_t>{
                          fid::kRxTxMap64, fid::kMemLend64, fid::kMsgSendDirectReq2,
                          fid::kNotificationBitmapCreate, 2, 1, fid::kPartitionInfoGetRegs}));
  EXPECT_TRUE(b.logged("ARM FF-A: Driver version 1.2"));
  EXPECT_TRUE(b.logged("ARM FF-A: Firmware version 1.2 found"));
  EXPECT_TRUE(b.logged("ARM FF-A: Notification setup failed -6, not enabled"));
  EXPECT_TRUE(b.logged("ffa-crb arm-ffa-1: ABI version 1.0"));
  EXPECT_TRUE(b.logged("kvm [1]: HYP mode not available"));
  EXPECT_EQ(b.initcall_ret("kvm_arm_init"), -kEnodev);
  EXPECT_EQ(b.initcall_ret("ffa_init"), 0);
}

TEST(Variants, AllVariants_PkvmOff_ComeUpAtTheirOwnLevel) {
  const std::vector<std::pair<FfaVariant, std::string>> cases = {
      {FfaVariant::ModuleInit, "device_initcall"},
      {FfaVariant::RootfsInitcall, "rootfs_initcall"},
      {FfaVariant::RfcRootDevice, "device_initcall"},
      {FfaVariant::PlatformDriverProbe, "device_initcall"},
      {FfaVariant::PlatformDriver, "device_initcall"},
  };
  for (const auto& [variant, level] : cases) {
    Boot b(variant, false);
    const BootResult& r = b.run();
    EXPECT_TRUE(r.ffa_ready) << variant_name(variant) << dump(b);
    EXPECT_EQ(r.ready_at, level) << variant_name(variant);
    EXPECT_EQ(r.tpm, TpmState::Bound) << variant_name(variant);
    EXPECT_EQ(r.ima, ImaState::Tpm) << variant_name(variant);
    EXPECT_EQ(r.partitions, 2);
  }
}

TEST(Variants, InitcallOrder_PkvmOn_RecordsEveryLevelInRunOrder) {
  Boot b(FfaVariant::PlatformDriver, true);
  const BootResult& r = b.run();
  std::vector<std::string> run;
  for (const InitcallRecord& c : r.initcalls) {
    run.push_back(fmt::format("{}:{}:{}", initcall_level_name(c.level), c.name, c.ret));
  }
  EXPECT_EQ(run, (std::vector<std::string>{
                     "subsys_initcall:arm_ffa_bus_init:0", "device_initcall:kvm_arm_init:0",
                     "device_initcall:tpm_crb_ffa_driver_init:0", "device_initcall:ffa_init:0",
                     "device_initcall_sync:finalize_pkvm:0", "late_initcall:init_ima:0",
                     "late_initcall:deferred_probe_initcall:0"}))
      << dump(b);
}

TEST(Variants, PlatformDriverProbe_PkvmOn_DeferBecomesEnxioAndFfaNeverComesUp) {
  Boot b(FfaVariant::PlatformDriverProbe, true);
  const BootResult& r = b.run();
  EXPECT_FALSE(r.ffa_ready);
  EXPECT_EQ(r.ready_at, std::nullopt);
  EXPECT_EQ(r.probe_error, -kEnxio);
  EXPECT_EQ(b.initcall_ret("ffa_init"), -kEnodev);
  EXPECT_EQ(r.tpm, TpmState::Missing);
  EXPECT_EQ(r.ima, ImaState::Bypass);
  EXPECT_TRUE(b.logged("arm-ffa arm-ffa: probe deferral not supported"));
  EXPECT_TRUE(b.logged("ima: No TPM chip found, activating TPM-bypass!"));
  EXPECT_TRUE(b.ffa_ids().empty()) << dump(b);
  EXPECT_TRUE(b.kernel->driver_core().pending().empty());
}

TEST(Variants, PlatformDriver_PkvmOn_ReadyAtLateInitcallAfterIma) {
  Boot b(FfaVariant::PlatformDriver, true);
  const BootResult& r = b.run();
  EXPECT_TRUE(r.ffa_ready) << dump(b);
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.probe_error, std::nullopt);
  EXPECT_EQ(r.tpm, TpmState::Bound);
  EXPECT_EQ(r.ima, ImaState::Bypass);
  EXPECT_TRUE(b.logged("ima: No TPM chip found, activating TPM-bypass!"));
  EXPECT_EQ(b.ffa_ids(), [] {
    std::vector<uint64_t> v = kBringUp;
    v.push_back(fid::kMsgSendDirectReq2);
    return v;
  }());
}

TEST(Variants, PlatformDriver_PkvmOnImaLateSyncRetry_ImaFindsTheTpm) {
  Boot b(FfaVariant::PlatformDriver, true);
  b.config.ima = ImaMode::LateSyncRetry;
  const BootResult& r = b.run();
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.ima, ImaState::Tpm);
  EXPECT_EQ(b.initcall_ret("init_ima"), -kEprobeDefer);
  EXPECT_EQ(b.initcall_ret("init_ima_late_sync"), 0);
  EXPECT_FALSE(b.logged("ima: No TPM chip found, activating TPM-bypass!"));
}

TEST(Variants, PlatformDriver_PkvmOnDriversFirst_DeferredProbeBeatsIma) {
  Boot b(FfaVariant::PlatformDriver, true);
  b.config.link_order = LinkOrder::DriversFirst;
  const BootResult& r = b.run();
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.ima, ImaState::Tpm) << dump(b);
}

TEST(Variants, RfcRootDevice_PkvmOn_DefersUntilLateInitcall) {
  Boot b(FfaVariant::RfcRootDevice, true);
  const BootResult& r = b.run();
  EXPECT_TRUE(r.ffa_ready) << dump(b);
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.ima, ImaState::Bypass);
  EXPECT_EQ(r.tpm, TpmState::Bound);
  const FfaCore& core = b.kernel->ffa_core();
  ASSERT_FALSE(core.devices().empty());
  EXPECT_EQ(core.devices()[0]->parent->name, "arm-ffa");
}

TEST(Variants, ModuleInit_PkvmOn_ReadyAtDeviceInitcallAfterKvm) {
  Boot b(FfaVariant::ModuleInit, true);
  const BootResult& r = b.run();
  EXPECT_EQ(r.ready_at, "device_initcall");
  EXPECT_EQ(r.ima, ImaState::Tpm);
  EXPECT_TRUE(b.hyp.installed);
  EXPECT_EQ(b.hyp.seen_smccc, 0x10002u);
}

TEST(Variants, RootfsInitcall_PkvmOn_ReadyBeforeKvmArmInit) {
  Boot b(FfaVariant::RootfsInitcall, true);
  const BootResult& r = b.run();
  EXPECT_EQ(r.ready_at, "rootfs_initcall");
  EXPECT_EQ(r.initcalls[1].name, "ffa_init");
  EXPECT_EQ(r.initcalls[2].name, "kvm_arm_init");
}

TEST(Variants, PlatformDriver_KvmInitFails_DefersForeverAndTimeoutWarns) {
  Boot b(FfaVariant::PlatformDriver, true);
  b.hyp.init_result = -kEinval;
  const BootResult& r = b.run();
  EXPECT_FALSE(r.ffa_ready);
  EXPECT_EQ(r.probe_error, -kEprobeDefer);
  EXPECT_TRUE(b.logged("kvm [1]: error initializing Hyp mode: -22"));
  EXPECT_TRUE(b.logged("platform arm-ffa: deferred probe pending: (reason unknown)")) << dump(b);
  EXPECT_FALSE(b.hyp.initialized);
}

TEST(Variants, PlatformDriver_NoTimeout_LeavesDevicePendingSilently) {
  Boot b(FfaVariant::PlatformDriver, true);
  b.hyp.init_result = -kEinval;
  b.config.deferred_probe_timeout = 0;
  b.run();
  EXPECT_EQ(b.kernel->driver_core().pending().size(), 1u);
  EXPECT_FALSE(b.logged("platform arm-ffa: deferred probe pending: (reason unknown)"));
}

TEST(Variants, Kernel_HypervisorMustMatchPkvmOption) {
  FakeFirmware fw;
  FakeConduit smc(fw, emu::ConduitKind::Smc);
  FakeHypervisor hyp;
  KernelConfig on;
  EXPECT_THROW(Kernel(on, KernelDeps{smc, smc, fw.memory, nullptr}), std::invalid_argument);
  KernelConfig off;
  off.pkvm = false;
  EXPECT_THROW(Kernel(off, KernelDeps{smc, smc, fw.memory, &hyp}), std::invalid_argument);
}

TEST(Variants, Boot_IsRunOnceAndEventsTellTheStory) {
  Boot b(FfaVariant::PlatformDriver, true);
  const BootResult& first = b.run();
  EXPECT_EQ(&b.kernel->boot(), &first);
  int defers = 0;
  int retries = 0;
  bool ready_event = false;
  for (const BootEvent& e : b.kernel->events()) {
    defers += e.kind == BootEventKind::DeferredAdd && e.subject == "arm-ffa";
    retries += e.kind == BootEventKind::DeferredRetry && e.subject == "arm-ffa";
    if (e.kind == BootEventKind::FfaReady) {
      ready_event = true;
      EXPECT_EQ(e.level, "late_initcall");
    }
  }
  EXPECT_EQ(defers, 1);
  EXPECT_EQ(retries, 1);
  EXPECT_TRUE(ready_event);
}

}  // namespace
}  // namespace ffaemu::lnx::test

namespace ffaemu::lnx::test {
namespace {

TEST(Variants, FinalizeFailure_LoggedButKeyIsOnSoFfaStillProbes) {
  Boot b(FfaVariant::PlatformDriver, true);
  b.hyp.finalize_result = -kEperm;
  const BootResult& r = b.run();
  EXPECT_TRUE(b.logged("Failed to finalize Hyp protection: -1"));
  EXPECT_EQ(b.initcall_ret("finalize_pkvm"), -kEperm);
  EXPECT_EQ(r.ready_at, "late_initcall");
}

struct Recorder final : BootObserver {
  void on_boot_event(const BootEvent& e) override { kinds.push_back(e.kind); }
  std::vector<BootEventKind> kinds;
};

TEST(Variants, Observer_SeesEveryJournalledEvent) {
  Boot b(FfaVariant::PlatformDriver, true);
  Recorder rec;
  b.kernel =
      std::make_unique<Kernel>(b.config, KernelDeps{b.smc, b.hvc, b.fw.memory, &b.hyp}, &rec);
  b.kernel->boot();
  ASSERT_EQ(rec.kinds.size(), b.kernel->events().size());
  EXPECT_EQ(rec.kinds.front(), BootEventKind::Log);
  EXPECT_NE(std::find(rec.kinds.begin(), rec.kinds.end(), BootEventKind::PkvmState),
            rec.kinds.end());
}

TEST(Printk, Names_CoverEveryLevelAndEventKind) {
  EXPECT_EQ(log_level_name(LogLevel::Err), "err");
  EXPECT_EQ(log_level_name(LogLevel::Warn), "warn");
  EXPECT_EQ(log_level_name(LogLevel::Info), "info");
  EXPECT_EQ(log_level_name(LogLevel::Debug), "debug");
  std::vector<std::string_view> names;
  for (int k = 0; k <= static_cast<int>(BootEventKind::Log); ++k) {
    names.push_back(boot_event_kind_name(static_cast<BootEventKind>(k)));
  }
  EXPECT_EQ(names, (std::vector<std::string_view>{
                       "setup_arch", "initcall_start", "initcall_end", "probe_start", "probe_end",
                       "deferred_add", "deferred_trigger", "deferred_retry", "deferred_pending",
                       "pkvm_state", "ffa_ready", "log"}));
  EXPECT_EQ(tpm_state_name(TpmState::Failed), "failed");
  EXPECT_EQ(tpm_state_name(TpmState::Missing), "missing");
  EXPECT_EQ(tpm_state_name(TpmState::Bound), "bound");
  EXPECT_EQ(ima_state_name(ImaState::Tpm), "tpm");
  EXPECT_EQ(ima_state_name(ImaState::Bypass), "bypass");
  EXPECT_EQ(ima_state_name(ImaState::Failed), "failed");
}

}  // namespace
}  // namespace ffaemu::lnx::test
