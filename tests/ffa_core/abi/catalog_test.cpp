#include <set>
#include <string>

#include <gtest/gtest.h>

#include "ffa_core/abi/catalog.h"

namespace ffaemu::ffa {
namespace {

TEST(Catalog, IdsAndNames_AreUnique) {
  std::set<uint32_t> ids;
  std::set<std::string_view> names;
  for (const CallInfo& c : all_calls()) {
    EXPECT_TRUE(ids.insert(c.id).second) << fmt::format("{:#x}", c.id);
    EXPECT_TRUE(names.insert(c.name).second) << c.name;
  }
}

TEST(Catalog, EveryFfaIdInFid_IsCatalogued) {
  const uint32_t ids[] = {fid::kError,
                          fid::kSuccess,
                          fid::kSuccess64,
                          fid::kInterrupt,
                          fid::kVersion,
                          fid::kFeatures,
                          fid::kRxRelease,
                          fid::kRxTxMap,
                          fid::kRxTxMap64,
                          fid::kRxTxUnmap,
                          fid::kPartitionInfoGet,
                          fid::kIdGet,
                          fid::kMsgPoll,
                          fid::kMsgWait,
                          fid::kYield,
                          fid::kRun,
                          fid::kMsgSend,
                          fid::kMsgSendDirectReq,
                          fid::kMsgSendDirectReq64,
                          fid::kMsgSendDirectResp,
                          fid::kMsgSendDirectResp64,
                          fid::kMemDonate,
                          fid::kMemDonate64,
                          fid::kMemLend,
                          fid::kMemLend64,
                          fid::kMemShare,
                          fid::kMemShare64,
                          fid::kMemRetrieveReq,
                          fid::kMemRetrieveReq64,
                          fid::kMemRetrieveResp,
                          fid::kMemRelinquish,
                          fid::kMemReclaim,
                          fid::kMemOpPause,
                          fid::kMemOpResume,
                          fid::kMemFragRx,
                          fid::kMemFragTx,
                          fid::kNormalWorldResume,
                          fid::kNotificationBitmapCreate,
                          fid::kNotificationBitmapDestroy,
                          fid::kNotificationBind,
                          fid::kNotificationUnbind,
                          fid::kNotificationSet,
                          fid::kNotificationGet,
                          fid::kNotificationInfoGet,
                          fid::kNotificationInfoGet64,
                          fid::kRxAcquire,
                          fid::kSpmIdGet,
                          fid::kMsgSend2,
                          fid::kSecondaryEpRegister64,
                          fid::kMemPermGet,
                          fid::kMemPermSet,
                          fid::kConsoleLog,
                          fid::kConsoleLog64,
                          fid::kPartitionInfoGetRegs,
                          fid::kEl3IntrHandle,
                          fid::kMsgSendDirectReq2,
                          fid::kMsgSendDirectResp2,
                          fid::kSmcccVersion,
                          fid::kSmcccArchFeatures,
                          fid::kSmcccArchSocId,
                          fid::kPsciVersion,
                          fid::kPsciFeatures};
  for (uint32_t id : ids) {
    const CallInfo* c = find_call(id);
    ASSERT_NE(c, nullptr) << fmt::format("{:#x}", id);
    EXPECT_EQ(find_call(c->name), c);
  }
}

TEST(Catalog, FfaCalls_AreInTheFfaRange_WithHafniumNames) {
  for (const CallInfo& c : all_calls()) {
    if (c.family != CallFamily::Ffa) continue;
    EXPECT_TRUE(is_ffa_call(FunctionId(c.id))) << c.name;
    EXPECT_TRUE(c.name.starts_with("FFA_")) << c.name;
    const bool smc64 = FunctionId(c.id).smc64();
    const bool only64 = c.id == fid::kPartitionInfoGetRegs || c.id == fid::kMsgSendDirectReq2 ||
                        c.id == fid::kMsgSendDirectResp2 || c.id == fid::kSecondaryEpRegister64;
    if (smc64 && !only64) {
      EXPECT_TRUE(c.name.ends_with("_64")) << c.name;
    }
  }
}

TEST(Catalog, SinceVersions_MatchTheSpec) {
  EXPECT_EQ(find_call(fid::kVersion)->since, kV1_0);
  EXPECT_EQ(find_call(fid::kRxAcquire)->since, kV1_1);
  EXPECT_EQ(find_call(fid::kNotificationBitmapCreate)->since, kV1_1);
  EXPECT_EQ(find_call(fid::kPartitionInfoGetRegs)->since, kV1_2);
  EXPECT_EQ(find_call(fid::kMsgSendDirectReq2)->since, kV1_2);
}

TEST(Catalog, UnknownLookups_ReturnNull) {
  EXPECT_EQ(find_call(0x84000091u), nullptr);
  EXPECT_EQ(find_call("FFA_NOPE"), nullptr);
}

}  // namespace
}  // namespace ffaemu::ffa
