// The boot model against the real EL3 firmware, SPMC and pKVM models: the thread's story, with
// every FF-A call answered by the stack (no emulator: conduits call the trap handlers directly).
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"
#include "ffa_core/linux/support/stack.h"

namespace ffaemu::lnx::test {
namespace {

KernelConfig config(FfaVariant variant, bool pkvm) {
  KernelConfig c;
  c.driver = variant;
  c.pkvm = pkvm;
  return c;
}

std::string dump(const Stack& s) {
  std::string out;
  for (const LogLine& l : s.kernel->log())
    out += "  " + l.text + "\n";
  for (const InitcallRecord& r : s.kernel->result().initcalls) {
    out += fmt::format("  [{}] {} = {}\n", initcall_level_name(r.level), r.name, r.ret);
  }
  return out;
}

TEST(Integration, AllVariants_PkvmOff_ReadyAtOwnLevelWithTpmAndIma) {
  for (FfaVariant v :
       {FfaVariant::ModuleInit, FfaVariant::RootfsInitcall, FfaVariant::RfcRootDevice,
        FfaVariant::PlatformDriverProbe, FfaVariant::PlatformDriver}) {
    Stack s(config(v, false));
    const BootResult& r = s.boot();
    EXPECT_TRUE(r.ffa_ready) << variant_name(v) << "\n" << dump(s);
    EXPECT_EQ(r.ready_at, v == FfaVariant::RootfsInitcall ? "rootfs_initcall" : "device_initcall");
    EXPECT_EQ(r.partitions, 2) << variant_name(v);
    EXPECT_EQ(r.tpm, TpmState::Bound) << variant_name(v) << "\n" << dump(s);
    EXPECT_EQ(r.ima, ImaState::Tpm) << variant_name(v);
  }
}

TEST(Integration, PlatformDriver_PkvmOn_ReadyAtLateThroughTheProxy) {
  Stack s(config(FfaVariant::PlatformDriver, true));
  const BootResult& r = s.boot();
  EXPECT_TRUE(r.ffa_ready) << dump(s);
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.partitions, 2);
  EXPECT_EQ(r.ima, ImaState::Bypass);
  EXPECT_TRUE(s.pkvm->version_negotiated());
  EXPECT_TRUE(s.pkvm->host_buffers().has_value());
  EXPECT_EQ(r.tpm, TpmState::Bound) << dump(s);
}

TEST(Integration, PlatformDriver_PkvmOnTpmAdvertisesReq2_TpmFailsWithEopnotsupp) {
  // pKVM refuses FFA_MSG_SEND_DIRECT_REQ2 (and FEATURES of it); a TPM that advertises REQ2
  // receive sends tpm_crb_ffa down the REQ2 path, where sync_send_receive2 gives -EOPNOTSUPP.
  fw::FirmwareConfig fwc;
  fwc.partitions[0].properties |= fw::props::kDirectReq2Recv;
  Stack s(config(FfaVariant::PlatformDriver, true), fwc);
  const BootResult& r = s.boot();
  EXPECT_TRUE(r.ffa_ready) << dump(s);
  EXPECT_EQ(r.tpm, TpmState::Failed) << dump(s);
  EXPECT_TRUE(s.logged("ffa-crb arm-ffa-1: failed to get crb interface version. rc:-95"));
}

TEST(Integration, ModuleInit_PkvmOn_TpmBoundBeforeIma) {
  Stack s(config(FfaVariant::ModuleInit, true));
  const BootResult& r = s.boot();
  EXPECT_EQ(r.ready_at, "device_initcall") << dump(s);
  EXPECT_EQ(r.tpm, TpmState::Bound) << dump(s);
  EXPECT_EQ(r.ima, ImaState::Tpm) << dump(s);
}

TEST(Integration, PlatformDriver_PkvmOn_TpmBoundAfterImaBypass) {
  Stack s(config(FfaVariant::PlatformDriver, true));
  const BootResult& r = s.boot();
  EXPECT_EQ(r.ready_at, "late_initcall");
  EXPECT_EQ(r.tpm, TpmState::Bound) << dump(s);
  EXPECT_EQ(r.ima, ImaState::Bypass);
}

TEST(Integration, PlatformDriverProbe_PkvmOn_NeverReady) {
  Stack s(config(FfaVariant::PlatformDriverProbe, true));
  const BootResult& r = s.boot();
  EXPECT_FALSE(r.ffa_ready);
  EXPECT_EQ(r.probe_error, -kEnxio);
  EXPECT_TRUE(s.logged("arm-ffa arm-ffa: probe deferral not supported"));
  EXPECT_FALSE(s.pkvm->version_negotiated());
}

TEST(Integration, RootfsInitcall_PkvmOn_ReadyEarlyThenProxyRefusesTheHost) {
  fw::FirmwareConfig fwc;
  fwc.partitions[0].properties &= ~fw::props::kDirectReq2Recv;
  Stack s(config(FfaVariant::RootfsInitcall, true), fwc);
  const BootResult& r = s.boot();
  EXPECT_TRUE(r.ffa_ready);
  EXPECT_EQ(r.ready_at, "rootfs_initcall");
  EXPECT_FALSE(s.pkvm->version_negotiated());
  // tpm_crb_ffa probes at device_initcall, after kvm_arm_init: its DIRECT_REQ meets the proxy's
  // version gate, INVALID_PARAMETERS -> -EINVAL.
  EXPECT_EQ(r.tpm, TpmState::Failed) << dump(s);
  EXPECT_TRUE(s.logged("ffa-crb arm-ffa-1: failed to get crb interface version. rc:-22"));
  EXPECT_EQ(r.ima, ImaState::Bypass);
}

TEST(Integration, ModuleInit_PkvmOnDriversFirst_SameFailureAsRootfs) {
  fw::FirmwareConfig fwc;
  fwc.partitions[0].properties &= ~fw::props::kDirectReq2Recv;
  KernelConfig c = config(FfaVariant::ModuleInit, true);
  c.link_order = LinkOrder::DriversFirst;
  Stack s(c, fwc);
  const BootResult& r = s.boot();
  EXPECT_EQ(r.ready_at, "device_initcall");
  EXPECT_FALSE(s.pkvm->version_negotiated());
  // tpm_crb_ffa (drivers/char) bound before kvm_arm_init; IMA's TPM commands then hit the gate.
  EXPECT_EQ(r.tpm, TpmState::Bound) << dump(s);
  EXPECT_EQ(r.ima, ImaState::Failed) << dump(s);
  EXPECT_TRUE(s.logged("ima: Error Communicating to TPM chip, result: -22"));
}

TEST(Integration, HvcConduit_PkvmOn_FfaVersionNotSupported) {
  KernelConfig c = config(FfaVariant::PlatformDriver, true);
  c.conduit = emu::ConduitKind::Hvc;
  Stack s(c);
  const BootResult& r = s.boot();
  EXPECT_FALSE(r.ffa_ready) << dump(s);
  EXPECT_EQ(r.probe_error, -kEnodev) << dump(s);
}

}  // namespace
}  // namespace ffaemu::lnx::test
