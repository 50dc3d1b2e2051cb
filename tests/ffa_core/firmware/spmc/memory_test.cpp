// FFA_MEM_SHARE/LEND/DONATE, FFA_MEM_FRAG_TX and FFA_MEM_RECLAIM from the NS endpoint (Hafnium
// api_ffa_mem_send/ffa_memory_send_validate, TF-A spmc_ffa_mem_send/spmc_shmem_check_obj).
#include "memory_support.h"

namespace ffaemu::fw::test {
namespace {

using Memory = MemoryTest;

TEST_P(Memory, MemShare64_ValidDescriptor_ReturnsHandleInW2W3) {
  ready();
  const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, 112, 112));
  write_tx(Desc{}.bytes());
  const uint64_t h = first_handle();
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, h & 0xffffffff, h >> 32)));
  ASSERT_EQ(handles().size(), 1u);
  const MemTransaction& t = handles().at(h);
  EXPECT_EQ(t.op, MemOp::Share);
  EXPECT_EQ(t.ranges, (std::vector<MemRange>{{kShared, 1}}));
  EXPECT_EQ(t.receivers, (std::vector<MemReceiver>{{EndpointId{kEcho}, kRw, 0}}));
  EXPECT_EQ(t.header.flags, mem::kFlagTypeShare);
}

TEST_P(Memory, MemLend32_V1_0Layout_IsAccepted) {
  ready(ffa::kV1_0);
  Desc d;
  d.version = ffa::kV1_0;
  d.attributes = 0;
  share(d, fid::kMemLend);
  ASSERT_EQ(handles().size(), 1u);
  EXPECT_EQ(handles().begin()->second.op, MemOp::Lend);
}

TEST_P(Memory, MemShare_V1_1Layout_SixteenByteEmads_IsAccepted) {
  ready(ffa::kV1_1);
  Desc d;
  d.version = ffa::kV1_1;
  share(d, fid::kMemShare);
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(Memory, MemShare_HandlesFollowEachPersonasAllocator) {
  ready();
  EXPECT_EQ(share(), first_handle());
  Desc second;
  second.ranges = {{kShared + 0x1000, 2}};
  EXPECT_EQ(share(second), first_handle() + 1);
}

TEST_P(Memory, MemDonate_HafniumAcceptsTfaNotSupported) {
  ready();
  Desc d;
  d.receivers = {{kEcho, 0}};
  d.attributes = 0;
  const SmcccRegs in = patterned(emu::regs(fid::kMemDonate64, 112, 112));
  write_tx(d.bytes());
  if (hafnium()) {
    EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, 0, 0)));
  } else {
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  }
}

// Register-level refusals common to both personas.
TEST_P(Memory, MemShare_AddressOrPageCountNonZero_IsInvalidParameters) {
  ready();
  write_tx(Desc{}.bytes());
  for (auto [addr, pages] : {std::pair{kShared, 0u}, std::pair{uint64_t{0}, 1u}}) {
    const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, 112, 112, addr, pages));
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  }
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_NoTxBuffer_IsInvalidParameters) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, 112, 112));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_FragmentLongerThanTotalOrBuffer_IsInvalidParameters) {
  ready();
  write_tx(Desc{}.bytes());
  for (auto [total, frag] : {std::pair{96u, 112u}, std::pair{0x2000u, 0x1010u}}) {
    const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, total, frag));
    EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  }
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_FragmentShorterThanHeader_IsInvalidParameters) {
  ready();
  const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, 112, 32));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_SecureSender_IsDenied) {
  ready();
  Desc d;
  d.sender = kTpm;
  const SmcccRegs in = send(d);
  EXPECT_FFA_ERROR(in, patterned(emu::regs(fid::kMemShare64, 112, 112)), FfaError::Denied);
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_NsAttributeBit_IsInvalidParameters) {
  ready();
  Desc d;
  d.attributes |= mem::kAttrNs;
  EXPECT_FFA_ERROR(send(d), patterned(emu::regs(fid::kMemShare64, 112, 112)),
                   FfaError::InvalidParameters);
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_NoReceivers_IsInvalidParameters) {
  ready();
  Desc d;
  d.receivers = {};
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_UnknownSecureReceiver_IsInvalidParameters) {
  ready();
  Desc d;
  d.receivers = {{0x8009, kRw}};
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_RepeatedReceiver_IsInvalidParameters) {
  ready();
  Desc d;
  d.receivers = {{kEcho, kRw}, {kEcho, kRw}};
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_PageCountMismatch_IsInvalidParameters) {
  ready();
  Desc d;
  d.composite_pages_delta = 1;
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_FlagsOtherThanTransactionType_IsInvalidParameters) {
  ready();
  Desc d;
  d.flags = 0x4;
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_OverlapsExistingTransaction_HafniumDeniedTfaInvalid) {
  ready();
  share();
  Desc d;
  d.ranges = {{kShared, 2}};
  EXPECT_FFA_ERROR(send(d), patterned(emu::regs(fid::kMemShare64, 112, 112)),
                   hafnium() ? FfaError::Denied : FfaError::InvalidParameters);
  EXPECT_EQ(handles().size(), 1u);
}

// Hafnium-only checks (TF-A leaves them to the platform hook or does not make them).
TEST_P(Memory, MemShare_RegionOverlapsRxTx_HafniumDenied) {
  ready();
  Desc d;
  d.ranges = {{kRx, 1}};
  const SmcccRegs got = send(d);
  if (hafnium()) {
    EXPECT_FFA_ERROR(got, patterned(emu::regs(fid::kMemShare64, 112, 112)), FfaError::Denied);
    EXPECT_TRUE(handles().empty());
  } else {
    EXPECT_EQ(got.w(0), fid::kSuccess);
  }
}

TEST_P(Memory, MemShare_SecureMemory_HafniumDenied) {
  ready();
  Desc d;
  d.ranges = {{emu::layout::kSecureRamBase, 1}};
  const SmcccRegs got = send(d);
  EXPECT_EQ(got.w(0), hafnium() ? fid::kError : fid::kSuccess);
  if (hafnium()) {
    EXPECT_EQ(got.w(2), static_cast<uint32_t>(FfaError::Denied));
  }
}

TEST_P(Memory, MemShare_UnalignedOrEmptyOrSelfOverlappingRange_HafniumInvalid) {
  ready();
  for (std::vector<MemRange> ranges :
       {std::vector<MemRange>{{kShared + 0x10, 1}}, std::vector<MemRange>{{kShared, 0}},
        std::vector<MemRange>{{kShared, 2}, {kShared + 0x1000, 1}}}) {
    Desc d;
    d.ranges = ranges;
    const SmcccRegs got = send(d);
    if (hafnium()) {
      EXPECT_TRUE(ffa::is_error(got, FfaError::InvalidParameters));
    } else {
      ASSERT_EQ(got.w(0), fid::kSuccess);
      ASSERT_EQ(reclaim(got.w(2) | (uint64_t{got.w(3)} << 32)).w(0), fid::kSuccess);
    }
  }
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemShare_HafniumPermissionAndAttributeRules) {
  ready();
  struct Case {
    uint8_t perms;
    uint16_t attributes;
    FfaError error;
  };
  for (Case c : {Case{0x3, kNormalWbInner, FfaError::InvalidParameters},  // reserved data access
                 Case{0x6, kNormalWbInner, FfaError::InvalidParameters},  // instruction access
                 Case{0x0, kNormalWbInner, FfaError::InvalidParameters},  // share needs data
                 Case{kRw, 0x27, FfaError::Denied},                       // normal, not WB
                 Case{kRw, 0x2e, FfaError::Denied}}) {                    // not inner shareable
    Desc d;
    d.receivers = {{kEcho, c.perms}};
    d.attributes = c.attributes;
    const SmcccRegs got = send(d);
    if (hafnium()) {
      EXPECT_TRUE(ffa::is_error(got, c.error)) << fmt::format("{:#x}", c.perms);
    }
  }
  if (hafnium()) {
    EXPECT_TRUE(handles().empty());
  }
}

TEST_P(Memory, MemLend_ToNormalWorldEndpoint_HafniumDenied) {
  ready();
  Desc d;
  d.receivers = {{0x0001, kRw}};
  d.attributes = 0;
  const SmcccRegs got = send(d, fid::kMemLend64);
  EXPECT_EQ(got.w(0), hafnium() ? fid::kError : fid::kSuccess);
  if (hafnium()) {
    EXPECT_EQ(got.w(2), static_cast<uint32_t>(FfaError::Denied));
  }
}

TEST_P(Memory, MemShare_ClearFlag_HafniumInvalidTfaInvalid) {
  ready();
  Desc d;
  d.flags = mem::kFlagClear;
  EXPECT_TRUE(ffa::is_error(send(d), FfaError::InvalidParameters));
  EXPECT_TRUE(handles().empty());
}

// Fragmented transactions.
class MemoryFragments : public MemoryTest {
 protected:
  Desc two_ranges() {
    Desc d;
    d.ranges = {{kShared, 1}, {kShared + 0x4000, 1}};
    return d;
  }
};

TEST_P(MemoryFragments, MemShare_FirstFragment_RepliesFragRxWithOffset) {
  ready();
  const std::vector<uint8_t> b = two_ranges().bytes();  // 128 bytes
  write_tx(b, 0, 112);
  const SmcccRegs in = patterned(emu::regs(fid::kMemShare64, 128, 112));
  const uint64_t h = first_handle();
  EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kMemFragRx, h & 0xffffffff, h >> 32, 112)));
  ASSERT_EQ(handles().size(), 1u);
  EXPECT_FALSE(handles().at(h).complete());
  write_tx(b, 112);
  const SmcccRegs tx = patterned(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 16, 0));
  EXPECT_REGS(call(tx), expected(tx, 8, emu::regs(fid::kSuccess, 0, h & 0xffffffff, h >> 32)));
  EXPECT_EQ(handles().at(h).ranges.size(), 2u);
}

TEST_P(MemoryFragments, MemFragTx_UnknownHandle_IsInvalidParametersAndKeepsTransaction) {
  ready();
  write_tx(two_ranges().bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  const SmcccRegs in = patterned(emu::regs(fid::kMemFragTx, 0x1234, 0, 16, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(MemoryFragments, MemFragTx_CompleteHandle_IsInvalidParameters) {
  ready();
  const uint64_t h = share();
  const SmcccRegs in = patterned(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 16, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(MemoryFragments, MemFragTx_PastTotal_HafniumKeepsTfaAborts) {
  ready();
  write_tx(two_ranges().bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  const uint64_t h = first_handle();
  const SmcccRegs in = patterned(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 32, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(handles().size(), hafnium() ? 1u : 0u);
}

TEST_P(MemoryFragments, MemFragTx_WrongSenderInW4_TfaInvalid) {
  ready();
  write_tx(two_ranges().bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  const uint64_t h = first_handle();
  write_tx(two_ranges().bytes(), 112);
  const SmcccRegs got = call(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 16, 1u << 16));
  EXPECT_EQ(got.w(0), hafnium() ? fid::kSuccess : fid::kError);
}

TEST_P(MemoryFragments, MemFragTx_PartialConstituent_HafniumInvalidTfaWaitsForMore) {
  ready();
  write_tx(two_ranges().bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  const uint64_t h = first_handle();
  const SmcccRegs got = call(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 8, 0));
  if (hafnium()) {
    EXPECT_TRUE(ffa::is_error(got, FfaError::InvalidParameters));
  } else {
    EXPECT_EQ(got.w(0), fid::kMemFragRx);
    EXPECT_EQ(got.w(3), 120u);
  }
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(MemoryFragments, MemFragTx_FinalCheckFails_AbortsTransaction) {
  ready();
  Desc d = two_ranges();
  d.composite_pages_delta = 5;
  write_tx(d.bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  const uint64_t h = first_handle();
  write_tx(d.bytes(), 112);
  const SmcccRegs in = patterned(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, 16, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_TRUE(handles().empty());
}

// FFA_MEM_RECLAIM.
TEST_P(Memory, MemReclaim_SharedHandle_FreesIt) {
  ready();
  const uint64_t h = share();
  const SmcccRegs in = patterned(emu::regs(fid::kMemReclaim, h & 0xffffffff, h >> 32));
  EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)));
  EXPECT_TRUE(handles().empty());
}

TEST_P(Memory, MemReclaim_UnknownHandle_IsInvalidParameters) {
  ready();
  share();
  const SmcccRegs in = patterned(emu::regs(fid::kMemReclaim, 0x77, 0));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(Memory, MemReclaim_WhileRetrieved_IsDenied) {
  ready();
  const uint64_t h = share();
  ASSERT_EQ(echo_command(echo::kMemRetrieve, h), 0u);
  const SmcccRegs in = patterned(emu::regs(fid::kMemReclaim, h & 0xffffffff, h >> 32));
  EXPECT_FFA_ERROR(call(in), in, FfaError::Denied);
  EXPECT_EQ(handles().at(h).receivers[0].retrieved, 1u);
  ASSERT_EQ(echo_command(echo::kMemRelinquish, h), 0u);
  EXPECT_EQ(reclaim(h).w(0), fid::kSuccess);
}

TEST_P(Memory, MemReclaim_IncompleteTransaction_IsInvalidParameters) {
  ready();
  Desc d;
  d.ranges = {{kShared, 1}, {kShared + 0x4000, 1}};
  write_tx(d.bytes(), 0, 112);
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, 128, 112)).w(0), fid::kMemFragRx);
  EXPECT_TRUE(ffa::is_error(reclaim(first_handle()), FfaError::InvalidParameters));
  EXPECT_EQ(handles().size(), 1u);
}

TEST_P(Memory, MemReclaim_Flags_TfaInvalidHafniumAccepts) {
  ready();
  const uint64_t h = share();
  const SmcccRegs got = reclaim(h, 1);
  EXPECT_EQ(got.w(0), hafnium() ? fid::kSuccess : fid::kError);
  EXPECT_EQ(handles().size(), hafnium() ? 0u : 1u);
}

TEST_P(Memory, MemReclaim_HypervisorAllocatedHandle_HafniumInvalid) {
  ready();
  EXPECT_TRUE(ffa::is_error(reclaim(1ull << 63), FfaError::InvalidParameters));
}

INSTANTIATE_BOTH_PERSONAS(Memory);
INSTANTIATE_BOTH_PERSONAS(MemoryFragments);

}  // namespace
}  // namespace ffaemu::fw::test
