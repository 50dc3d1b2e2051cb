// The NS endpoint's hypervisor retrieve (FFA_MEM_RETRIEVE_REQ, FFA_MEM_FRAG_RX), FFA_MEM_RELINQUISH
// from the NS endpoint, the echo partition's retrieve/relinquish, and FFA_FEATURES for the memory
// calls (Hafnium api_ffa_mem_retrieve_req/ffa_features_function, TF-A spmc_ffa_mem_retrieve_req/
// ffa_features_retrieve_request).
#include "memory_support.h"

namespace ffaemu::fw::test {
namespace {

using MemoryRetrieve = MemoryTest;

// pKVM's do_ffa_mem_reclaim request: 48 zero bytes but the handle.
class HypRetrieveTest : public MemoryTest {
 protected:
  SmcccRegs retrieve(uint64_t handle, uint32_t len = 48) {
    std::vector<uint8_t> req(48);
    for (int i = 0; i < 8; ++i)
      req[8 + i] = static_cast<uint8_t>(handle >> (8 * i));
    write_tx(req);
    return call(patterned(emu::regs(fid::kMemRetrieveReq64, len, len)));
  }
  uint32_t rx_u32(uint64_t off) { return memory_.read_u32(emu::PhysAddr{kRx + off}); }
};

TEST_P(HypRetrieveTest, RetrieveReq_HypervisorRequest_WritesDescriptorToRx) {
  ready();
  const uint64_t h = share();
  const SmcccRegs in = patterned(emu::regs(fid::kMemRetrieveReq64, 48, 48));
  // Hafnium: every receiver with 32-byte EMADs; TF-A: one blank 16-byte EMAD.
  const uint32_t len = hafnium() ? 48 + 32 + 16 + 16 : 48 + 16 + 16 + 16;
  EXPECT_REGS(retrieve(h), expected(in, 8, emu::regs(fid::kMemRetrieveResp, len, len)));
  EXPECT_EQ(ns().rx_state, RxState::Full);
  EXPECT_EQ(memory_.read_u64(emu::PhysAddr{kRx + 8}), h);
  EXPECT_EQ(rx_u32(28), 1u);                  // EMAD count
  const uint32_t composite = rx_u32(48 + 4);  // first EMAD's composite offset
  EXPECT_EQ(composite, len - 32);
  EXPECT_EQ(rx_u32(composite + 4), 1u);  // one constituent
  EXPECT_EQ(memory_.read_u64(emu::PhysAddr{kRx + composite + 16}), kShared);
  EXPECT_EQ(static_cast<uint16_t>(rx_u32(48)), hafnium() ? kEcho : 0);
}

TEST_P(HypRetrieveTest, RetrieveReq_RxNotReleased_HafniumBusyTfaDenied) {
  ready();
  const uint64_t h = share();
  ASSERT_EQ(retrieve(h).w(0), fid::kMemRetrieveResp);
  const SmcccRegs in = patterned(emu::regs(fid::kMemRetrieveReq64, 48, 48));
  EXPECT_FFA_ERROR(retrieve(h), in, hafnium() ? FfaError::Busy : FfaError::Denied);
  EXPECT_EQ(call(emu::regs(fid::kRxRelease)).w(0), fid::kSuccess);
  EXPECT_EQ(retrieve(h).w(0), fid::kMemRetrieveResp);
}

TEST_P(HypRetrieveTest, RetrieveReq_UnknownHandle_IsInvalidParameters) {
  ready();
  EXPECT_FFA_ERROR(retrieve(0x55), patterned(emu::regs(fid::kMemRetrieveReq64, 48, 48)),
                   FfaError::InvalidParameters);
  EXPECT_EQ(ns().rx_state, RxState::Empty);
  EXPECT_FALSE(spmc().hyp_retrieve().has_value());
}

TEST_P(HypRetrieveTest, RetrieveReq_BadRegistersOrLengths_AreInvalidParameters) {
  ready();
  const uint64_t h = share();
  write_tx(std::vector<uint8_t>(48));
  for (SmcccRegs in :
       {emu::regs(fid::kMemRetrieveReq64, 48, 48, kShared, 0),
        emu::regs(fid::kMemRetrieveReq64, 48, 32), emu::regs(fid::kMemRetrieveReq64, 16, 16),
        emu::regs(fid::kMemRetrieveReq64, 0x2000, 0x2000)}) {
    EXPECT_TRUE(ffa::is_error(call(in), FfaError::InvalidParameters));
  }
  EXPECT_EQ(ns().rx_state, RxState::Empty);
  EXPECT_EQ(handles().count(h), 1u);
}

TEST_P(HypRetrieveTest, RetrieveReq_WithReceivers_IsInvalidParameters) {
  ready();
  const uint64_t h = share();
  Desc d;
  d.handle = h;
  write_tx(d.bytes());
  EXPECT_TRUE(ffa::is_error(call(emu::regs(fid::kMemRetrieveReq64, 112, 112)),
                            FfaError::InvalidParameters));
}

TEST_P(HypRetrieveTest, RetrieveReq_NoRxTx_IsInvalidParameters) {
  boot_negotiated();
  EXPECT_TRUE(
      ffa::is_error(call(emu::regs(fid::kMemRetrieveReq64, 48, 48)), FfaError::InvalidParameters));
}

TEST_P(HypRetrieveTest, RetrieveReq_NonBlankHeader_HafniumInvalidTfaRetrieves) {
  ready();
  const uint64_t h = share();
  std::vector<uint8_t> req(48);
  for (int i = 0; i < 8; ++i)
    req[8 + i] = static_cast<uint8_t>(h >> (8 * i));
  req[16] = 1;  // tag
  write_tx(req);
  const SmcccRegs got = call(emu::regs(fid::kMemRetrieveReq64, 48, 48));
  EXPECT_EQ(got.w(0), hafnium() ? fid::kError : fid::kMemRetrieveResp);
}

TEST_P(HypRetrieveTest, FragRx_ContinuesFromNextOffset) {
  ready();
  Desc d;
  for (uint64_t i = 0; i < 300; ++i)
    d.ranges.push_back({kShared + 0x2000 + i * 0x2000, 1});
  const std::vector<uint8_t> b = d.bytes();
  write_tx(b, 0, 4096);
  const auto total = static_cast<uint32_t>(b.size());
  ASSERT_EQ(call(emu::regs(fid::kMemShare64, total, 4096)).w(0), fid::kMemFragRx);
  const uint64_t h = first_handle();
  write_tx(b, 4096);
  ASSERT_EQ(call(emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, total - 4096, 0)).w(0),
            fid::kSuccess);
  const SmcccRegs first = retrieve(h);
  ASSERT_EQ(first.w(0), fid::kMemRetrieveResp);
  EXPECT_EQ(first.w(2), 4096u);
  const uint32_t rest = first.w(1) - 4096;
  const SmcccRegs busy = call(emu::regs(fid::kMemFragRx, h & 0xffffffff, h >> 32, 4096, 0));
  EXPECT_TRUE(ffa::is_error(busy, hafnium() ? FfaError::Busy : FfaError::Denied));
  ASSERT_EQ(call(emu::regs(fid::kRxRelease)).w(0), fid::kSuccess);
  EXPECT_TRUE(ffa::is_error(call(emu::regs(fid::kMemFragRx, h & 0xffffffff, h >> 32, 8, 0)),
                            FfaError::InvalidParameters));
  EXPECT_TRUE(ffa::is_error(call(emu::regs(fid::kMemFragRx, 0x99, 0, 4096, 0)),
                            FfaError::InvalidParameters));
  const SmcccRegs in = patterned(emu::regs(fid::kMemFragRx, h & 0xffffffff, h >> 32, 4096, 0));
  EXPECT_REGS(call(in),
              expected(in, 8, emu::regs(fid::kMemFragTx, h & 0xffffffff, h >> 32, rest, 0)));
  EXPECT_EQ(ns().rx_state, RxState::Full);
}

TEST_P(MemoryRetrieve, Relinquish_FromNormalWorld_IsInvalidParameters) {
  ready();
  const uint64_t h = share();
  std::vector<uint8_t> req(18);
  req[0] = static_cast<uint8_t>(h);
  req[12] = 1;
  write_tx(req);
  const SmcccRegs in = patterned(emu::regs(fid::kMemRelinquish));
  EXPECT_FFA_ERROR(call(in), in, FfaError::InvalidParameters);
  EXPECT_EQ(handles().at(h).receivers[0].retrieved, 0u);
}

TEST_P(MemoryRetrieve, EchoRetrieve_ByReceiver_CountsRetrieval) {
  ready();
  const uint64_t h = share();
  EXPECT_EQ(echo_command(echo::kMemRetrieve, h), 0u);
  EXPECT_EQ(handles().at(h).receivers[0].retrieved, 1u);
}

TEST_P(MemoryRetrieve, EchoRetrieve_Twice_HafniumDeniedTfaCounts) {
  ready();
  const uint64_t h = share();
  ASSERT_EQ(echo_command(echo::kMemRetrieve, h), 0u);
  EXPECT_EQ(echo_command(echo::kMemRetrieve, h),
            hafnium() ? static_cast<uint32_t>(FfaError::Denied) : 0u);
  EXPECT_EQ(handles().at(h).receivers[0].retrieved, hafnium() ? 1u : 2u);
}

TEST_P(MemoryRetrieve, EchoRetrieve_NotReceiverOrUnknownHandle_IsInvalidParameters) {
  ready();
  Desc d;
  d.receivers = {{kTpm, kRw}};
  const uint64_t h = share(d);
  const auto invalid = static_cast<uint32_t>(FfaError::InvalidParameters);
  EXPECT_EQ(echo_command(echo::kMemRetrieve, h), invalid);
  EXPECT_EQ(echo_command(echo::kMemRetrieve, h + 7), invalid);
  EXPECT_EQ(handles().at(h).receivers[0].retrieved, 0u);
}

TEST_P(MemoryRetrieve, EchoRelinquish_NotRetrieved_IsInvalidParameters) {
  ready();
  const uint64_t h = share();
  const auto invalid = static_cast<uint32_t>(FfaError::InvalidParameters);
  EXPECT_EQ(echo_command(echo::kMemRelinquish, h), invalid);
  EXPECT_EQ(echo_command(echo::kMemRelinquish, h + 7), invalid);
}

TEST_P(MemoryRetrieve, EchoRetrieve_Donation_HafniumEndsTransaction) {
  ready();
  Desc d;
  d.receivers = {{kEcho, 0}};
  d.attributes = 0;
  if (!hafnium()) {
    EXPECT_TRUE(ffa::is_error(send(d, fid::kMemDonate64), FfaError::NotSupported));
    EXPECT_TRUE(handles().empty());
    return;
  }
  const uint64_t h = share(d, fid::kMemDonate64);
  EXPECT_EQ(echo_command(echo::kMemRetrieve, h), 0u);
  EXPECT_TRUE(handles().empty());
}

TEST_P(MemoryRetrieve, EchoOtherPayload_IsStillEchoed) {
  ready();
  const SmcccRegs r = call(emu::regs(fid::kMsgSendDirectReq, kEcho, 0, 0x11, 0x22, 0x33));
  EXPECT_EQ(r.w(3), 0x11u);
  EXPECT_EQ(r.w(4), 0x22u);
  EXPECT_EQ(r.w(5), 0x33u);
}

// FFA_FEATURES for the memory calls.
TEST_P(MemoryRetrieve, Features_MemShareLendReclaimFrag_AreListed) {
  boot_negotiated();
  for (uint32_t id : {fid::kMemShare, fid::kMemShare64, fid::kMemLend, fid::kMemLend64,
                      fid::kMemReclaim, fid::kMemFragRx, fid::kMemFragTx}) {
    const SmcccRegs in = patterned(emu::regs(fid::kFeatures, id));
    EXPECT_REGS(call(in), expected(in, hafnium() ? 8 : 1, emu::regs(fid::kSuccess)))
        << fmt::format("{:#x}", id);
  }
}

TEST_P(MemoryRetrieve, Features_DonateAndRelinquish_HafniumOnly) {
  boot_negotiated();
  for (uint32_t id : {fid::kMemDonate, fid::kMemDonate64, fid::kMemRelinquish}) {
    const SmcccRegs in = patterned(emu::regs(fid::kFeatures, id));
    if (hafnium()) {
      EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess)));
    } else {
      EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
    }
  }
}

TEST_P(MemoryRetrieve, Features_RetrieveReqWithNsBit_HafniumSixTfaNotSupported) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kFeatures, fid::kMemRetrieveReq64, 0x2));
  if (hafnium()) {
    EXPECT_REGS(call(in), expected(in, 8, emu::regs(fid::kSuccess, 0, 0x6)));
  } else {
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  }
}

TEST_P(MemoryRetrieve, Features_RetrieveReqWithoutNsBit_HafniumNotSupportedTfaSuccess) {
  boot_negotiated();
  const SmcccRegs in = patterned(emu::regs(fid::kFeatures, fid::kMemRetrieveReq, 0));
  if (hafnium()) {
    EXPECT_FFA_ERROR(call(in), in, FfaError::NotSupported);
  } else {
    EXPECT_REGS(call(in), expected(in, 1, emu::regs(fid::kSuccess)));
  }
}

TEST_P(MemoryRetrieve, Features_RetrieveReqV1_0Caller_HafniumNeedsNoNsBit) {
  boot_negotiated(ffa::kV1_0);
  const SmcccRegs got = call(emu::regs(fid::kFeatures, fid::kMemRetrieveReq, 0));
  EXPECT_EQ(got.w(0), fid::kSuccess);
  EXPECT_EQ(got.w(2), hafnium() ? 0x6u : 0u);
}

INSTANTIATE_BOTH_PERSONAS(MemoryRetrieve);
INSTANTIATE_BOTH_PERSONAS(HypRetrieveTest);

}  // namespace
}  // namespace ffaemu::fw::test
