#include <cstring>

#include "../fixture.h"

namespace ffaemu::fw::test {
namespace {

const ffa::Uuid kTpm = *ffa::Uuid::parse(kTpmUuid);

class PartitionInfo : public BothPersonas {
 protected:
  SmcccRegs get_uuid(const ffa::Uuid& u, uint64_t flags = 0) {
    const auto w = u.words();
    return call(patterned(emu::regs(fid::kPartitionInfoGet, w[0], w[1], w[2], w[3], flags)));
  }
  std::vector<uint8_t> rx(size_t n) {
    std::vector<uint8_t> b(n);
    memory_.read(emu::PhysAddr{kRx}, b);
    return b;
  }
  static uint16_t u16(const std::vector<uint8_t>& b, size_t at) {
    uint16_t v;
    std::memcpy(&v, &b[at], 2);
    return v;
  }
  static uint32_t u32(const std::vector<uint8_t>& b, size_t at) {
    uint32_t v;
    std::memcpy(&v, &b[at], 4);
    return v;
  }
};

TEST_P(PartitionInfo, V1_2Caller_Gets24ByteDescriptorsInRx_AndOwnsRx) {
  boot_negotiated();
  map();
  memory_.fill(emu::PhysAddr{kRx}, 4096, 0xee);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 0, 6, 7));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 4, emu::regs(fid::kSuccess, 0, 2, 24)));
  const std::vector<uint8_t> b = rx(4096);
  EXPECT_EQ(u16(b, 0), 0x8001);
  EXPECT_EQ(u16(b, 2), 1);
  EXPECT_EQ(u32(b, 4), props::kDirectReqRecv | props::kAarch64);
  EXPECT_TRUE(std::equal(kTpm.bytes().begin(), kTpm.bytes().end(), b.begin() + 8));
  EXPECT_EQ(u16(b, 24), 0x8002);
  EXPECT_EQ(u16(b, 26), 8);
  EXPECT_EQ(b[48], 0);  // the rest of the buffer is zeroed
  EXPECT_EQ(b[4095], 0);
  EXPECT_EQ(ns().rx_state, RxState::Full);
}

TEST_P(PartitionInfo, V1_0Caller_Gets8ByteDescriptors_WithV1_0PropertiesOnly) {
  boot_negotiated(ffa::kV1_0);
  map();
  const SmcccRegs out = info_get();
  // Hafnium reports the size even to v1.0 callers; TF-A leaves w3 zero.
  EXPECT_REGS(out, expected(emu::regs(fid::kPartitionInfoGet), hafnium() ? 8 : 4,
                            emu::regs(fid::kSuccess, 0, 2, hafnium() ? 8 : 0)));
  const std::vector<uint8_t> b = rx(16);
  EXPECT_EQ(u16(b, 0), 0x8001);
  EXPECT_EQ(u32(b, 4), props::kDirectReqRecv);
  EXPECT_EQ(u16(b, 8), 0x8002);
  EXPECT_EQ(u32(b, 12), props::kDirectReqRecv | props::kDirectReqSend);
}

TEST_P(PartitionInfo, V1_1Caller_Gets24ByteDescriptors) {
  boot_negotiated(ffa::kV1_1);
  map();
  EXPECT_EQ(info_get().x[3], 24u);
}

TEST_P(PartitionInfo, UuidFilter_ReturnsOnlyMatch_WithUuidFieldZero) {
  boot_negotiated();
  map();
  const SmcccRegs out = get_uuid(kTpm);
  EXPECT_EQ(out.w(0), fid::kSuccess);
  EXPECT_EQ(out.x[2], 1u);
  const std::vector<uint8_t> b = rx(24);
  EXPECT_EQ(u16(b, 0), 0x8001);
  EXPECT_TRUE(std::all_of(b.begin() + 8, b.end(), [](uint8_t v) { return v == 0; }));
}

TEST_P(PartitionInfo, CountOnly_ReturnsCount_LeavesRxAlone) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 1, 6, 7));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 4, emu::regs(fid::kSuccess, 0, 2, 0)));
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_P(PartitionInfo, UnknownUuid_IsInvalidParameters) {
  boot_negotiated();
  map();
  const ffa::Uuid other = *ffa::Uuid::parse("00000000-0000-0000-0000-000000000001");
  const auto w = other.words();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet, w[0], w[1], w[2], w[3]));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

TEST_P(PartitionInfo, WithoutRxBuffer_IsBusy) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Busy);
}

TEST_P(PartitionInfo, SecondCallWithoutRelease_IsBusy_ThenSucceedsAfterRelease) {
  boot_negotiated();
  map();
  info_get();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Busy);
  EXPECT_EQ(ns().rx_state, RxState::Full);
  call(emu::regs(fid::kRxRelease));
  EXPECT_EQ(info_get().w(0), fid::kSuccess);
}

TEST_P(PartitionInfo, ReservedFlagBits_HafniumInvalidParameters_TfaIgnores) {
  boot_negotiated();
  map();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, 2));
  if (hafnium()) {
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
    EXPECT_EQ(ns().rx_state, RxState::Empty);
  } else {
    EXPECT_EQ(call(in).w(0), fid::kSuccess);
  }
}

TEST_P(PartitionInfo, UpperHalvesOfUuidWords_AreIgnored) {
  boot_negotiated();
  map();
  const auto w = kTpm.words();
  const SmcccRegs in = emu::regs(fid::kPartitionInfoGet, 0xffffffff00000000ull | w[0],
                                 0x1234567800000000ull | w[1], w[2], w[3]);
  EXPECT_EQ(call(in).x[2], 1u);
}

TEST_P(PartitionInfo, DescriptorsNotFittingRx_IsNoMemory) {
  FirmwareConfig c;
  c.spmc = GetParam();
  c.partitions.clear();
  for (uint16_t i = 0; i < 200; ++i) {
    c.partitions.push_back({ffa::EndpointId(static_cast<uint16_t>(0x8001 + i)),
                            ffa::Uuid::from_halves(i + 1, 0), 1, props::kDirectReqRecv, "echo"});
  }
  boot(c);
  version(0x10002);
  map();
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGet));
  EXPECT_FFA_ERROR(call(in), in, FfaError::NoMemory);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
}

INSTANTIATE_BOTH_PERSONAS(PartitionInfo);

class PartitionInfoRegs : public FirmwareTest {
 protected:
  SmcccRegs regs_call(uint64_t lo, uint64_t hi, uint64_t x3) {
    return call(patterned(emu::regs(fid::kPartitionInfoGetRegs, lo, hi, x3)));
  }
};

TEST_F(PartitionInfoRegs, NilUuid_ReturnsBothDescriptorsInRegisters) {
  boot();
  version(0x10002);
  const SmcccRegs out = regs_call(0, 0, 0);
  SmcccRegs want;
  want.x[0] = fid::kSuccess64;
  want.x[2] = (24ull << 48) | (1ull << 16) | 1;
  const uint64_t tpm_props = props::kDirectReqRecv | props::kAarch64;
  want.x[3] = 0x8001 | (1ull << 16) | (tpm_props << 32);
  want.x[4] = kTpm.lo();
  want.x[5] = kTpm.hi();
  const PartitionConfig& echo = spmc().partitions()[1].config;
  want.x[6] = 0x8002 | (8ull << 16) | (uint64_t{echo.properties} << 32);
  want.x[7] = echo.uuid.lo();
  want.x[8] = echo.uuid.hi();
  EXPECT_REGS(out, want);
}

TEST_F(PartitionInfoRegs, SevenPartitions_ComeFiveThenTwo) {
  FirmwareConfig c;
  c.partitions.clear();
  for (uint16_t i = 0; i < 7; ++i) {
    c.partitions.push_back({ffa::EndpointId(static_cast<uint16_t>(0x8001 + i)),
                            ffa::Uuid::from_halves(i + 1, 0), 1, props::kDirectReqRecv, "echo"});
  }
  boot(c);
  version(0x10002);
  const SmcccRegs first = regs_call(0, 0, 0);
  EXPECT_EQ(first.x[2], (24ull << 48) | (4ull << 16) | 6);
  EXPECT_EQ(first.x[15] & 0xffff, 0x8005u);
  const SmcccRegs second = regs_call(0, 0, 5);
  EXPECT_EQ(second.x[2], (24ull << 48) | (6ull << 16) | 6);
  EXPECT_EQ(second.x[6] & 0xffff, 0x8007u);
  EXPECT_EQ(second.x[9], 0u);
  EXPECT_EQ(second.x[17], 0u);
}

TEST_F(PartitionInfoRegs, UuidFilter_ReturnsOne) {
  boot();
  version(0x10002);
  const SmcccRegs out = regs_call(kTpm.lo(), kTpm.hi(), 0);
  EXPECT_EQ(out.x[2], 24ull << 48);
  EXPECT_EQ(out.x[3] & 0xffff, 0x8001u);
}

TEST_F(PartitionInfoRegs, StartIndexPastEnd_IsInvalidParameters) {
  boot();
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGetRegs, 0, 0, 2));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_F(PartitionInfoRegs, UnknownUuid_IsInvalidParameters) {
  boot();
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGetRegs, 5, 6, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
}

TEST_F(PartitionInfoRegs, NonZeroTag_IsRetry) {
  boot();
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGetRegs, 0, 0, 1u << 16));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Retry);
}

TEST_F(PartitionInfoRegs, V1_1Caller_IsNotSupported) {
  boot();
  version(0x10001);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGetRegs));
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

TEST_F(PartitionInfoRegs, TfaEl3_IsNotSupported) {
  boot(SpmcPersona::TfaEl3);
  version(0x10002);
  const SmcccRegs in = patterned(emu::regs(fid::kPartitionInfoGetRegs));
  EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
}

}  // namespace
}  // namespace ffaemu::fw::test
