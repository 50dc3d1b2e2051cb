// The version gate, do_ffa_version with hyp_ffa_post_init, do_ffa_features and the refused calls.
#include "ffa_core/pkvm/ffa_proxy.h"
#include "pkvm_test_support.h"

namespace ffaemu::pkvm::test {
namespace {

using ffa::FfaError;

class VersionTest : public PkvmTest {
 protected:
  void SetUp() override { install_and_finalize(); }
};

TEST_F(VersionTest, VersionGate_IdGetBeforeNegotiation_IsInvalidParameters) {
  EXPECT_EQ(smc(pattern(fid::kIdGet, 0x100)), ffa_err(FfaError::InvalidParameters));
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_EQ(observer.hops, std::vector<std::string>{"pkvm:deny:version_gate"});
}

TEST_F(VersionTest, VersionGate_RefusedCallBeforeNegotiation_IsInvalidParametersNotNotSupported) {
  EXPECT_EQ(smc(emu::regs(fid::kMsgSendDirectReq2)), ffa_err(FfaError::InvalidParameters));
}

TEST_F(VersionTest, VersionGate_NonFfaOwner4Call_IsForwarded) {
  el3.answer(0x84000050, emu::regs(0x1));  // TRNG_VERSION: owner 4, below 0x60
  EXPECT_EQ(smc(emu::regs(0x84000050)), emu::regs(0x1));
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{0x84000050});
}

TEST_F(VersionTest, Version_12_PostInitFromEl2AndReturnsHypVersion) {
  EXPECT_EQ(smc(pattern(fid::kVersion, 0x10001)), emu::regs(0x10002));
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kIdGet, fid::kFeatures}));
  EXPECT_EQ(el3.calls()[1].trap.regs, emu::regs(fid::kFeatures, fid::kRxTxMap64));
  EXPECT_EQ(el3.calls()[0].trap.el, 2);
  EXPECT_TRUE(pkvm->version_negotiated());
}

TEST_F(VersionTest, Version_11Request_AsksEl3AndAdoptsRequest) {
  el3.answer(fid::kVersion, pattern(0x10002, 0x500));
  SmcccRegs expected = pattern(0x10001, 0x500);
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10001)), expected);
  EXPECT_EQ(el3.ids(), (std::vector<uint32_t>{fid::kVersion, fid::kIdGet, fid::kFeatures}));
  EXPECT_EQ(el3.calls()[0].trap.regs, emu::regs(fid::kVersion, 0x10001));
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x10001u);
}

TEST_F(VersionTest, Version_DowngradeEl3NotSupported_ReturnedAndNotNegotiated) {
  el3.answer(fid::kVersion, emu::regs(kAllOnes));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10000)), emu::regs(kAllOnes));
  EXPECT_FALSE(pkvm->version_negotiated());
  EXPECT_EQ(pkvm->hyp_ffa_version(), 0x10002u);
}

TEST_F(VersionTest, Version_Major2_IsNotSupportedWithoutEl3) {
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x20000)), emu::regs(kAllOnes));
  EXPECT_TRUE(el3.calls().empty());
}

// FFA_MAJOR_VERSION() masks bits 30:16, so pKVM reads 0x80010002 as v1.2 and negotiates.
TEST_F(VersionTest, Version_Bit31Set_IsReadAsMajor1AndNegotiates) {
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x80010002u)), emu::regs(0x10002));
  EXPECT_TRUE(pkvm->version_negotiated());
}

TEST_F(VersionTest, Version_AfterNegotiationLowerMinor_IsNotSupported) {
  negotiate();
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10001)), emu::regs(kAllOnes));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10003)), emu::regs(0x10002));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(VersionTest, Version_IdGetNotZero_IsNotSupportedAndRetryable) {
  el3.answer(fid::kIdGet, ffa_ok(5));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
  EXPECT_FALSE(pkvm->version_negotiated());
  el3.answer(fid::kIdGet, ffa_ok(0));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(0x10002));
  EXPECT_TRUE(pkvm->version_negotiated());
}

TEST_F(VersionTest, Version_IdGetError_IsNotSupported) {
  el3.answer(fid::kIdGet, ffa_err(FfaError::NotSupported));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
  EXPECT_EQ(el3.ids(), std::vector<uint32_t>{fid::kIdGet});
}

TEST_F(VersionTest, Version_FeaturesRxTxMapFails_IsNotSupported) {
  el3.answer(fid::kFeatures, ffa_err(FfaError::NotSupported));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
}

TEST_F(VersionTest, Version_RxTxMinSizeReserved3_IsNotSupported) {
  el3.answer(fid::kFeatures, ffa_ok(3));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
}

TEST_F(VersionTest, Version_RxTxMin16kOn4kKernel_IsNotSupported) {
  el3.answer(fid::kFeatures, ffa_ok(2));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
  el3.answer(fid::kFeatures, ffa_ok(1));  // 64K
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(kAllOnes));
  EXPECT_FALSE(pkvm->version_negotiated());
}

class Version16kTest : public PkvmTest {
 protected:
  Version16kTest() : PkvmTest(16384) {}
};

TEST_F(Version16kTest, Version_RxTxMin16kOn16kKernel_Negotiates) {
  install_and_finalize();
  el3.answer(fid::kFeatures, ffa_ok(2));
  EXPECT_EQ(smc(emu::regs(fid::kVersion, 0x10002)), emu::regs(0x10002));
}

class FeaturesTest : public VersionTest {
 protected:
  void SetUp() override {
    VersionTest::SetUp();
    negotiate();
  }
};

TEST_F(FeaturesTest, Features_MemShareAndLend_AnsweredAtEl2WithNoDynamicBuffers) {
  for (uint32_t id : {fid::kMemShare, fid::kMemShare64, fid::kMemLend, fid::kMemLend64}) {
    EXPECT_EQ(smc(emu::regs(fid::kFeatures, id, 7)), ffa_ok(0)) << std::hex << id;
    EXPECT_TRUE(el3.calls().empty());
  }
}

TEST_F(FeaturesTest, Features_RefusedId_IsNotSupportedAtEl2) {
  EXPECT_EQ(smc(emu::regs(fid::kFeatures, fid::kMsgSendDirectReq2)),
            ffa_err(FfaError::NotSupported));
  EXPECT_EQ(smc(emu::regs(fid::kFeatures, fid::kPartitionInfoGetRegs)),
            ffa_err(FfaError::NotSupported));
  EXPECT_TRUE(el3.calls().empty());
}

TEST_F(FeaturesTest, Features_RxTxMap64AndFeatureIds_AreForwardedUnchanged) {
  el3.answer(fid::kFeatures, pattern(fid::kSuccess, 0x700));
  for (uint64_t id : {uint64_t{fid::kRxTxMap64}, uint64_t{1}, uint64_t{2}}) {
    SmcccRegs in = emu::regs(fid::kFeatures, id);
    EXPECT_EQ(smc(in), pattern(fid::kSuccess, 0x700));
    EXPECT_EQ(el3.calls().back().trap.regs, in);
  }
}

// ffa_call_supported() of arch/arm64/kvm/hyp/nvhe/ffa.c @ a4a508df: 25 IDs.
const uint32_t kRefused[] = {
    fid::kMemRetrieveReq64,
    fid::kMemRetrieveResp,
    fid::kMemRelinquish,
    fid::kMemOpPause,
    fid::kMemOpResume,
    fid::kMemFragRx,
    fid::kMemDonate64,
    fid::kMsgSend,
    fid::kMsgPoll,
    fid::kMsgWait,
    fid::kMsgSendDirectResp,
    fid::kRxTxMap,
    fid::kMemDonate,
    fid::kMemRetrieveReq,
    fid::kNotificationBitmapCreate,
    fid::kNotificationBitmapDestroy,
    fid::kNotificationBind,
    fid::kNotificationUnbind,
    fid::kNotificationSet,
    fid::kNotificationGet,
    fid::kNotificationInfoGet,
    fid::kMsgSendDirectReq2,
    fid::kMsgSendDirectResp2,
    fid::kConsoleLog,
    fid::kPartitionInfoGetRegs,
};

TEST_F(FeaturesTest, Refused_EveryDenyListCall_IsNotSupportedWithoutEl3) {
  for (uint32_t id : kRefused) {
    EXPECT_EQ(smc(pattern(id, 0x100)), ffa_err(FfaError::NotSupported)) << std::hex << id;
    EXPECT_FALSE(ffa_call_supported(id));
  }
  EXPECT_TRUE(el3.calls().empty());
  EXPECT_EQ(std::size(kRefused), 25u);
}

TEST_F(FeaturesTest, Refused_RxTxMap32_LeavesNoRegistration) {
  EXPECT_EQ(smc(emu::regs(fid::kRxTxMap, host_tx(), host_rx(), 1)),
            ffa_err(FfaError::NotSupported));
  EXPECT_FALSE(pkvm->host_buffers());
  EXPECT_EQ(pkvm->host_page_owner(host_tx()), PageOwner::Owned);
  EXPECT_TRUE(pkvm->stage2_journal().empty());
}

TEST_F(FeaturesTest, Forward_SupportedUnhandledFfaCalls_PassUnchanged) {
  for (uint32_t id :
       {fid::kIdGet, fid::kRxRelease, fid::kMsgSendDirectReq, fid::kMsgSendDirectReq64, fid::kRun,
        fid::kSpmIdGet, fid::kNotificationInfoGet64, fid::kConsoleLog64}) {
    SmcccRegs in = pattern(id, 0x100);
    el3.answer(id, pattern(fid::kSuccess, 0x300));
    EXPECT_EQ(smc(in), pattern(fid::kSuccess, 0x300)) << std::hex << id;
    EXPECT_EQ(el3.calls().back().trap.regs, in);
  }
}

}  // namespace
}  // namespace ffaemu::pkvm::test
