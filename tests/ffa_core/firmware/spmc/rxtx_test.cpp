#include "../fixture.h"

namespace ffaemu::fw::test {
namespace {

class RxTx : public BothPersonas {
 protected:
  // A refused map: exact FFA_ERROR, and nothing mapped afterwards.
  void expect_map_refused(uint64_t tx, uint64_t rx, uint32_t pages, FfaError e) {
    NsEndpoint before = ns();
    before.negotiated = true;  // any call but FFA_VERSION closes negotiation, refused or not
    const SmcccRegs in = patterned(emu::regs(fid::kRxTxMap64, tx, rx, pages));
    EXPECT_FFA_ERROR(call(in), in, e);
    EXPECT_EQ(ns(), before);
  }
};

TEST_P(RxTx, Map64_Succeeds_AndRecordsPair) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kRxTxMap64, kTx, kRx, 1));
  // Hafnium: eight registers through the SPMD; TF-A: SMC_RET1, x1-x7 stay the caller's.
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)));
  ASSERT_TRUE(ns().rxtx.has_value());
  EXPECT_EQ(*ns().rxtx, (RxTxPair{{kTx}, {kRx}, 1}));
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_P(RxTx, SecondMapFromSameEndpoint_IsDenied_FirstPairKept) {
  boot_negotiated();
  map();
  expect_map_refused(kTx + 0x20000, kRx + 0x20000, 1, FfaError::Denied);
  EXPECT_EQ(ns().rxtx->tx.value, kTx);
}

TEST_P(RxTx, MisalignedTx_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(kTx + 0x100, kRx, 1, FfaError::InvalidParameters);
}

TEST_P(RxTx, MisalignedRx_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(kTx, kRx + 0x100, 1, FfaError::InvalidParameters);
}

TEST_P(RxTx, PageCountZero_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(kTx, kRx, 0, FfaError::InvalidParameters);
}

TEST_P(RxTx, PageCountAboveMaximum_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(kTx, kRx, hafnium() ? 2 : 0x1f + 1, FfaError::InvalidParameters);
}

TEST_P(RxTx, TxEqualsRx_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(kTx, kTx, 1, FfaError::InvalidParameters);
}

TEST_P(RxTx, SecureMemory_IsDenied) {
  boot_negotiated();
  expect_map_refused(emu::layout::kSecureRamBase, kRx, 1, FfaError::Denied);
  expect_map_refused(kTx, emu::layout::kSecureRamBase, 1, FfaError::Denied);
}

TEST_P(RxTx, OutsideNsRam_HafniumDenied_TfaInvalidParameters) {
  boot_negotiated();
  expect_map_refused(0x880080001000ull, kRx, 1,
                     hafnium() ? FfaError::Denied : FfaError::InvalidParameters);
}

TEST_P(RxTx, BufferRunningPastEndOfRam_IsRefused) {
  boot_negotiated();
  // Hafnium maps one page, so its buffer starts at the end of RAM; TF-A's two pages cross it.
  const uint64_t end = emu::layout::kHostRamBase + emu::layout::kHostRamSize;
  expect_map_refused(kTx, hafnium() ? end : end - 0x1000, hafnium() ? 1 : 2,
                     hafnium() ? FfaError::Denied : FfaError::InvalidParameters);
}

TEST_P(RxTx, CodeRegion_IsInvalidParameters) {
  boot_negotiated();
  expect_map_refused(emu::layout::kCodeBase, kRx, 1, FfaError::InvalidParameters);
}

TEST_P(RxTx, HypRam_IsAccepted) {
  boot_negotiated();
  EXPECT_EQ(map(emu::layout::kHypRamBase, emu::layout::kHypRamBase + 0x1000).w(0), fid::kSuccess);
}

TEST_P(RxTx, Map32_HafniumNotSupported_TfaIgnoresUpperHalves) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kRxTxMap, 0xdead000000000000ull | kTx,
                                           0xbeef000000000000ull | kRx, 0xffff000000000001ull));
  if (hafnium()) {
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
    EXPECT_FALSE(ns().rxtx.has_value());
  } else {
    EXPECT_REGS(call(in), expected(in, 1, emu::regs(fid::kSuccess)));
    EXPECT_EQ(*ns().rxtx, (RxTxPair{{kTx}, {kRx}, 1}));
  }
}

TEST_P(RxTx, Unmap_Succeeds_ThenMapAgainSucceeds) {
  boot_negotiated();
  map();
  const SmcccRegs in = patterned(emu::regs(fid::kRxTxUnmap));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)));
  EXPECT_FALSE(ns().rxtx.has_value());
  EXPECT_EQ(map().w(0), fid::kSuccess);
}

TEST_P(RxTx, UnmapWithNothingMapped_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kRxTxUnmap));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_P(RxTx, UnmapNamingAnotherEndpoint_IsInvalidParameters_PairKept) {
  boot_negotiated();
  map();
  const SmcccRegs in = emu::regs(fid::kRxTxUnmap, 1u << 16);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_TRUE(ns().rxtx.has_value());
}

TEST_P(RxTx, UnmapWithLowBitsOfW1_TfaRefuses_HafniumIgnores) {
  boot_negotiated();
  map();
  EXPECT_EQ(call(emu::regs(fid::kRxTxUnmap, 1)).w(0), hafnium() ? fid::kSuccess : fid::kError);
}

TEST_P(RxTx, RxRelease_WhenNotOwned_IsDenied) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kRxRelease));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
  map();
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_P(RxTx, RxRelease_AfterPartitionInfo_ReturnsOwnership) {
  boot_negotiated();
  map();
  info_get();
  EXPECT_EQ(ns().rx_state, RxState::Full);
  const SmcccRegs in = patterned(emu::regs(fid::kRxRelease));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)));
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_P(RxTx, Unmap_WhileRxFull_ResetsOwnership) {
  boot_negotiated();
  map();
  info_get();
  call(emu::regs(fid::kRxTxUnmap));
  map();
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

INSTANTIATE_BOTH_PERSONAS(RxTx);

class RxTxGranule : public FirmwareTest,
                    public ::testing::WithParamInterface<std::tuple<SpmcPersona, uint32_t>> {};

TEST_P(RxTxGranule, MapHonoursMinimumGranule) {
  const auto [persona, bytes] = GetParam();
  FirmwareConfig c;
  c.spmc = persona;
  c.rxtx_min_bytes = bytes;
  boot(c);
  version(0x10002);
  const uint32_t pages = bytes / 4096;
  if (pages > 1) {
    EXPECT_TRUE(ffa::is_error(map(kTx, kTx + 0x100000, pages - 1), FfaError::InvalidParameters));
    EXPECT_TRUE(
        ffa::is_error(map(kTx + 0x1000, kTx + 0x100000, pages), FfaError::InvalidParameters));
    EXPECT_FALSE(ns().rxtx.has_value());
  }
  EXPECT_EQ(map(kTx, kTx + 0x100000, pages).w(0), fid::kSuccess);
  EXPECT_EQ(ns().rxtx->page_count, pages);
}

INSTANTIATE_TEST_SUITE_P(Granules, RxTxGranule,
                         ::testing::Combine(::testing::Values(SpmcPersona::Hafnium,
                                                              SpmcPersona::TfaEl3),
                                            ::testing::Values(4096u, 16384u, 65536u)));

TEST_F(FirmwareTest, RxTx_TfaOverlappingBuffers_IsInvalidParameters) {
  boot(SpmcPersona::TfaEl3);
  version(0x10002);
  EXPECT_TRUE(ffa::is_error(map(kTx, kTx + 0x1000, 2), FfaError::InvalidParameters));
  EXPECT_TRUE(ffa::is_error(map(0, kRx, 1), FfaError::InvalidParameters));
  EXPECT_FALSE(ns().rxtx.has_value());
}

class RxAcquire : public FirmwareTest {
 protected:
  void SetUp() override {
    FirmwareTest::SetUp();
    boot();
    version(0x10002);
  }
};

TEST_F(RxAcquire, WithoutRxBuffer_IsInvalidParameters) {
  const SmcccRegs in = emu::regs(fid::kRxAcquire, 0);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_F(RxAcquire, SecureId_IsNotSupported) {
  map();
  const SmcccRegs in = emu::regs(fid::kRxAcquire, 0x8001);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_F(RxAcquire, UnknownVm_IsInvalidParameters) {
  map();
  const SmcccRegs in = emu::regs(fid::kRxAcquire, 5);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_F(RxAcquire, FreeBuffer_IsTaken_ThenReleased) {
  map();
  EXPECT_REGS(call(emu::regs(fid::kRxAcquire, 0)), emu::regs(fid::kSuccess));
  EXPECT_EQ(ns().rx_state, RxState::OtherWorldOwned);
  const SmcccRegs in = emu::regs(fid::kRxAcquire, 0);
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
  EXPECT_TRUE(ffa::is_error(info_get(), FfaError::Busy));
  EXPECT_EQ(call(emu::regs(fid::kRxRelease)).w(0), fid::kSuccess);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_F(RxAcquire, RxReleaseForUnknownVm_IsInvalidParameters) {
  map();
  info_get();
  const SmcccRegs in = emu::regs(fid::kRxRelease, 3);
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(ns().rx_state, RxState::Full);
}

TEST_F(FirmwareTest, RxAcquire_TfaEl3_IsNotSupported) {
  boot(SpmcPersona::TfaEl3);
  version(0x10002);
  map();
  const SmcccRegs in = emu::regs(fid::kRxAcquire, 0);
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

}  // namespace
}  // namespace ffaemu::fw::test
