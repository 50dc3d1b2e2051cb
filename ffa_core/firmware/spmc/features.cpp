// FFA_FEATURES (DEN0077 v1.2 section 13.3) from the NS instance: Hafnium api_ffa_features, TF-A
// el3_spmc ffa_features_handler. Function IDs are answered from the dispatch table plus the calls
// the SPMD answers itself; feature IDs 1-3 are the NPI/SRI/MEI interrupts.
#include <algorithm>

#include "ffa_core/abi/catalog.h"
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

namespace fid = ffa::fid;

// Calls answered outside the SPMC table (SPMD-local, or only ever replies), listed by both
// personas' FEATURES code.
constexpr uint32_t kListedElsewhere[] = {fid::kError,   fid::kSuccess, fid::kInterrupt,
                                         fid::kVersion, fid::kIdGet,   fid::kSpmIdGet};

constexpr uint32_t kFeatureNpi = 1;
constexpr uint32_t kFeatureSri = 2;
constexpr uint32_t kFeatureMei = 3;
// Hafnium HF_SCHEDULE_RECEIVER_INTID: the SGI Hafnium uses as the schedule receiver interrupt.
constexpr uint32_t kSriIntId = 8;
// FFA_MEM_RETRIEVE_REQ properties (Hafnium FFA_FEATURES_MEM_RETRIEVE_REQ_*, TF-A
// FFA_FEATURES_RET_REQ_NS_BIT): bit 1 NS-bit handling, bit 2 hypervisor retrieval.
constexpr uint32_t kRetrieveNsBit = 1u << 1;
constexpr uint32_t kRetrieveHypervisor = 1u << 2;

struct FeaturesCall {
  uint32_t id;           // w1: function ID (bit 31 set) or feature ID
  uint32_t input_props;  // w2
};

FeaturesCall decode(const SmcccRegs& in) {
  return {in.w(1), in.w(2)};
}

// FFA_RXTX_MAP w2 bits 1:0: 0 = 4K, 1 = 64K, 2 = 16K (Linux FFA_FEAT_RXTX_MIN_SZ_*).
uint32_t rxtx_min_code(uint32_t bytes) {
  if (bytes == 65536) return 1;
  if (bytes == 16384) return 2;
  return 0;
}

}  // namespace

Reply Spmc::features(const SmcccRegs& in) {
  const FeaturesCall call = decode(in);
  if ((call.id & 0x80000000u) == 0) {
    // Feature IDs: TF-A supports none; Hafnium answers SRI to the normal world only.
    if (!hafnium() || (call.id & 0x7fffff00u) != 0 || call.input_props != 0 ||
        config_.ffa_version < ffa::kV1_1 || call.id != kFeatureSri) {
      if (call.id == kFeatureNpi || call.id == kFeatureMei) {
        note(fmt::format("FFA_FEATURES: feature {} is only for secure partitions", call.id));
      }
      return ffa_error(FfaError::NotSupported);
    }
    return ret(8, ffa::success_reply(kSriIntId));
  }
  const bool elsewhere = std::ranges::find(kListedElsewhere, call.id) != std::end(kListedElsewhere);
  const SpmcCall* entry = find_spmc_call(call.id, config_.spmc);
  const ffa::CallInfo* info = ffa::find_call(call.id);
  const bool listed = elsewhere || (entry != nullptr && entry->listed_for_ns);
  if (!listed || info == nullptr || info->since > config_.ffa_version) {
    return ffa_error(FfaError::NotSupported);
  }
  if (call.id == fid::kMemRetrieveReq || call.id == fid::kMemRetrieveReq64) {
    return retrieve_req_features(call.input_props);
  }
  // TF-A ffa_features_handler: FFA_MEM_RELINQUISH is only for the secure world.
  if (!hafnium() && call.id == fid::kMemRelinquish) return ffa_error(FfaError::NotSupported);
  // TF-A reports no input properties for these calls and refuses any (w2 must be 0).
  if (!hafnium() && call.input_props != 0) return ffa_error(FfaError::NotSupported);
  uint32_t props = 0;
  if (call.id == fid::kRxTxMap || call.id == fid::kRxTxMap64) {
    props = rxtx_min_code(config_.rxtx_min_bytes);
    if (hafnium() && caller_version() >= ffa::kV1_2) props |= max_rxtx_pages() << 16;
  }
  if (hafnium()) return ret(8, ffa::success_reply(props));
  // TF-A: SMC_RET1(FFA_SUCCESS_SMC32), or SMC_RET3 where it has properties to report.
  return props == 0 ? ret(1, ffa::success_reply()) : ret(3, ffa::success_reply(props));
}

// Hafnium ffa_features_function: a v1.1+ caller must declare NS-bit support (input bit 1); the
// answer is NS-bit handling and hypervisor retrieval. TF-A ffa_features_retrieve_request: the
// normal world may not ask for the NS bit and gets no properties.
Reply Spmc::retrieve_req_features(uint32_t input_props) const {
  if (hafnium()) {
    if (caller_version() >= ffa::kV1_1 && (input_props & kRetrieveNsBit) == 0) {
      note("FFA_FEATURES(FFA_MEM_RETRIEVE_REQ): a v1.1+ caller must set input bit 1 (NS bit)");
      return ffa_error(FfaError::NotSupported);
    }
    return ret(8, ffa::success_reply(kRetrieveNsBit | kRetrieveHypervisor));
  }
  if ((input_props & kRetrieveNsBit) != 0) {
    note("FFA_FEATURES(FFA_MEM_RETRIEVE_REQ): no NS-bit support for the normal world");
    return ffa_error(FfaError::NotSupported);
  }
  return ret(1, ffa::success_reply());
}

}  // namespace ffaemu::fw
