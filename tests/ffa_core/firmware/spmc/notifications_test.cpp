#include "../fixture.h"

namespace ffaemu::fw::test {
namespace {

class NotificationBitmaps : public FirmwareTest {
 protected:
  void SetUp() override {
    FirmwareTest::SetUp();
    boot();
    version(0x10002);
  }
  SmcccRegs create(uint32_t vm, uint32_t vcpus = 4) {
    return call(patterned(emu::regs(fid::kNotificationBitmapCreate, vm, vcpus)));
  }
};

TEST_F(NotificationBitmaps, Create_Succeeds_AndRecordsVcpuCount) {
  const SmcccRegs in = patterned(emu::regs(fid::kNotificationBitmapCreate, 0, 4));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess)));
  EXPECT_EQ(spmc().notification_bitmaps().at(0).vcpu_count, 4u);
}

TEST_F(NotificationBitmaps, CreateAfterCreate_IsDenied) {
  create(0);
  const SmcccRegs in = patterned(emu::regs(fid::kNotificationBitmapCreate, 0, 8));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
  EXPECT_EQ(spmc().notification_bitmaps().at(0).vcpu_count, 4u);
}

TEST_F(NotificationBitmaps, CreateForSecureId_IsInvalidParameters) {
  const SmcccRegs in = emu::regs(fid::kNotificationBitmapCreate, 0x8001, 1);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_TRUE(spmc().notification_bitmaps().empty());
}

TEST_F(NotificationBitmaps, CreateBeyondCapacity_IsNoMemory) {
  for (uint32_t vm = 0; vm < 16; ++vm)
    EXPECT_EQ(create(vm).w(0), fid::kSuccess);
  const SmcccRegs in = emu::regs(fid::kNotificationBitmapCreate, 16, 1);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NoMemory);
  EXPECT_EQ(spmc().notification_bitmaps().size(), 16u);
}

TEST_F(NotificationBitmaps, DestroyNotCreated_IsDenied) {
  const SmcccRegs in = patterned(emu::regs(fid::kNotificationBitmapDestroy, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
}

TEST_F(NotificationBitmaps, DestroySecureId_IsInvalidParameters) {
  const SmcccRegs in = emu::regs(fid::kNotificationBitmapDestroy, 0x8001);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_F(NotificationBitmaps, Destroy_AfterCreate_Succeeds_ThenCreateAgain) {
  create(0);
  const SmcccRegs in = patterned(emu::regs(fid::kNotificationBitmapDestroy, 0));
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess)));
  EXPECT_TRUE(spmc().notification_bitmaps().empty());
  EXPECT_EQ(create(0).w(0), fid::kSuccess);
}

TEST_F(FirmwareTest, NotificationBitmapCreate_TfaEl3_IsNotSupported) {
  boot(SpmcPersona::TfaEl3);
  version(0x10002);
  const SmcccRegs in = emu::regs(fid::kNotificationBitmapCreate, 0, 1);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_F(FirmwareTest, NotificationBitmapCreate_V1_0Caller_IsNotSupported) {
  boot();
  version(0x10000);
  const SmcccRegs in = emu::regs(fid::kNotificationBitmapCreate, 0, 1);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  EXPECT_TRUE(spmc().notification_bitmaps().empty());
}

}  // namespace
}  // namespace ffaemu::fw::test
