#include "ffa_core/firmware/spmd.h"

#include <algorithm>

#include "ffa_core/abi/catalog.h"

namespace ffaemu::fw {
namespace {

namespace fid = ffa::fid;

constexpr SpmdCall kCalls[] = {
    {fid::kVersion, &Spmd::version},
    {fid::kIdGet, &Spmd::id_get},
    {fid::kSpmIdGet, &Spmd::spm_id_get},
    {fid::kMsgSendDirectReq, &Spmd::direct_req},
    {fid::kMsgSendDirectReq64, &Spmd::direct_req},
    {fid::kMsgSendDirectReq2, &Spmd::direct_req2},
    {fid::kMsgSendDirectResp, &Spmd::forward},
    {fid::kMsgSendDirectResp64, &Spmd::forward},
    {fid::kMsgSendDirectResp2, &Spmd::direct_resp2},
    {fid::kPartitionInfoGetRegs, &Spmd::partition_info_get_regs},
    {fid::kFeatures, &Spmd::forward},
    {fid::kRxRelease, &Spmd::forward},
    {fid::kRxTxMap, &Spmd::forward},
    {fid::kRxTxMap64, &Spmd::forward},
    {fid::kRxTxUnmap, &Spmd::forward},
    {fid::kPartitionInfoGet, &Spmd::forward},
    {fid::kNotificationBitmapCreate, &Spmd::forward},
    {fid::kNotificationBitmapDestroy, &Spmd::forward},
    {fid::kNotificationBind, &Spmd::forward},
    {fid::kNotificationUnbind, &Spmd::forward},
    {fid::kNotificationSet, &Spmd::forward},
    {fid::kNotificationGet, &Spmd::forward},
    {fid::kNotificationInfoGet, &Spmd::forward},
    {fid::kNotificationInfoGet64, &Spmd::forward},
    {fid::kMsgSend2, &Spmd::forward},
    {fid::kRxAcquire, &Spmd::forward},
    {fid::kRun, &Spmd::forward},
    {fid::kMsgSend, &Spmd::forward},
    {fid::kMemDonate, &Spmd::forward},
    {fid::kMemDonate64, &Spmd::forward},
    {fid::kMemLend, &Spmd::forward},
    {fid::kMemLend64, &Spmd::forward},
    {fid::kMemShare, &Spmd::forward},
    {fid::kMemShare64, &Spmd::forward},
    {fid::kMemRetrieveReq, &Spmd::forward},
    {fid::kMemRetrieveReq64, &Spmd::forward},
    {fid::kMemRetrieveResp, &Spmd::forward},
    {fid::kMemRelinquish, &Spmd::forward},
    {fid::kMemReclaim, &Spmd::forward},
    {fid::kMemFragTx, &Spmd::forward},
    {fid::kMemFragRx, &Spmd::forward},
    {fid::kSuccess, &Spmd::forward},
    {fid::kSuccess64, &Spmd::forward},
    {fid::kError, &Spmd::forward},
    {fid::kMsgWait, &Spmd::secure_only},
    {fid::kInterrupt, &Spmd::secure_only},
    {fid::kYield, &Spmd::secure_only},
    {fid::kConsoleLog, &Spmd::secure_only},
    {fid::kConsoleLog64, &Spmd::secure_only},
    {fid::kEl3IntrHandle, &Spmd::secure_only},
    {fid::kSecondaryEpRegister64, &Spmd::secure_only},
    {fid::kNormalWorldResume, &Spmd::normal_world_resume},
};

constexpr uint32_t kVersionBit31 = 0x80000000u;
constexpr uint32_t kNotSupported = 0xffffffffu;

// EL3 SPMD logical partitions: 0xFFC0-0xFFFE (Hafnium vm_ids.h, TF-A is_spmd_lp_id).
bool is_spmd_lp_id(uint16_t id) {
  return id >= 0xffc0 && id <= 0xfffe;
}

}  // namespace

std::span<const SpmdCall> spmd_calls() {
  return kCalls;
}

Spmd::Spmd(const FirmwareConfig& config, Spmc& spmc, const ffa::HopSink& sink)
    : config_(config), spmc_(spmc), sink_(sink) {}

Reply Spmd::handle(const SmcccRegs& in) {
  const uint32_t id = in.w(0);
  sink_.hop(ffa::Level::El3, "spmd");
  // spmd_set_version_negotiated: any call but FFA_VERSION closes negotiation.
  if (id != fid::kVersion) ns_negotiated_ = true;
  auto it = std::find_if(std::begin(kCalls), std::end(kCalls),
                         [id](const SpmdCall& c) { return c.id == id; });
  if (it == std::end(kCalls)) {
    note(fmt::format("SPMD: unsupported call {:#010x}", id));
    return ffa_error(ffa::FfaError::NotSupported);
  }
  return (this->*it->handler)(in);
}

Reply Spmd::version(const SmcccRegs& in) {
  const uint32_t requested = in.w(1);
  if ((requested & kVersionBit31) != 0) {
    note(fmt::format("FFA_VERSION: {:#x} has bit 31 set", requested));
    return ret(8, emu::regs(kNotSupported));
  }
  if (!ns_negotiated_) ns_version_ = requested;
  if (config_.spmc == SpmcPersona::TfaEl3) {
    // Forwarded straight to the EL3 SPMC, which answers with SMC_RET1.
    spmc_nwd_version_ = config_.ffa_version.raw();
    return ret(1, emu::regs(spmc_.negotiate_version(requested)));
  }
  if (spmc_.implemented_version() == ffa::kV1_0) {
    spmc_nwd_version_ = ffa::kV1_0.raw();
    return ret(8, emu::regs(spmc_nwd_version_));
  }
  // The SPMD's FFA_VERSION framework message to the S-EL2 SPMC; x0 of the answer is its w3.
  sink_.hop(ffa::Level::SEl2, "spmc:version");
  spmc_nwd_version_ = spmc_.negotiate_version(requested);
  return ret(8, emu::regs(spmc_nwd_version_));
}

Reply Spmd::id_get(const SmcccRegs&) {
  return ret(8, ffa::success_reply(ffa::kHostId.value()));
}

Reply Spmd::spm_id_get(const SmcccRegs&) {
  if (config_.ffa_version < ffa::kV1_1) return ffa_error(ffa::FfaError::NotSupported);
  return ret(8, ffa::success_reply(ffa::kSpmcId.value()));
}

Reply Spmd::forward(const SmcccRegs& in) {
  return relay(spmc_.handle(in));
}

Reply Spmd::direct_req(const SmcccRegs& in) {
  const auto src = static_cast<uint16_t>(in.w(1) >> 16);
  const auto dst = static_cast<uint16_t>(in.w(1) & 0xffff);
  if (is_spmd_lp_id(src) || is_spmd_lp_id(dst)) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ: {:#x} -> {:#x} names an SPMD logical partition", src,
                     dst));
    return ffa_error(ffa::FfaError::InvalidParameters);
  }
  if (ffa::EndpointId{src}.secure()) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ: normal world used secure source ID {:#x}", src));
    return ffa_error(ffa::FfaError::InvalidParameters);
  }
  return forward(in);
}

Reply Spmd::direct_req2(const SmcccRegs& in) {
  if (common_version() < ffa::kV1_2.raw()) {
    note("FFA_MSG_SEND_DIRECT_REQ2: not supported below v1.2 on both sides");
    return ffa_error(ffa::FfaError::NotSupported);
  }
  return direct_req(in);
}

Reply Spmd::direct_resp2(const SmcccRegs& in) {
  if (common_version() < ffa::kV1_2.raw()) return ffa_error(ffa::FfaError::NotSupported);
  return forward(in);
}

Reply Spmd::partition_info_get_regs(const SmcccRegs& in) {
  if (!config_.smccc.at_least(1, 2)) {
    note("FFA_PARTITION_INFO_GET_REGS: needs SMCCC 1.2");
    return ffa_error(ffa::FfaError::NotSupported);
  }
  return forward(in);
}

Reply Spmd::secure_only(const SmcccRegs& in) {
  const ffa::CallInfo* info = ffa::find_call(in.w(0));
  note(fmt::format("{}: only the secure world may call it", info ? info->name : "call"));
  return ffa_error(ffa::FfaError::NotSupported);
}

Reply Spmd::normal_world_resume(const SmcccRegs&) {
  note("FFA_NORMAL_WORLD_RESUME: not from the normal world");
  return ffa_error(ffa::FfaError::Denied);
}

// get_common_ffa_version: the lower of the SPMC's and the normal world's version.
uint32_t Spmd::common_version() const {
  return std::min(spmc_nwd_version_, ns_version_);
}

// spmd_smc_switch_state: x8-x17 reach the normal world only in an SMC64 reply to a caller that
// asked for v1.2 or later; otherwise eight registers (SMC_RET8) and x8-x17 keep the caller's
// values. Below SMCCC 1.2 they never carry results (x4-x17 preserved; for SMCCC 1.0, which allows
// clobbering, this model preserves too).
Reply Spmd::relay(Reply from_secure) const {
  const bool extended = emu::FunctionId(from_secure.regs.w(0)).smc64() &&
                        ns_version_ >= ffa::kV1_2.raw() && config_.smccc.at_least(1, 2);
  if (!extended) from_secure.written = std::min<uint8_t>(from_secure.written, 8);
  return from_secure;
}

}  // namespace ffaemu::fw
