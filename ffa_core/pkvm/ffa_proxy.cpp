#include "ffa_core/pkvm/ffa_proxy.h"

#include <fmt/format.h>

#include "ffa_core/abi/catalog.h"
#include "ffa_core/abi/ffa.h"
#include "ffa_core/pkvm/hyp_fault.h"

namespace ffaemu::pkvm {

namespace fid = ffa::fid;

// struct ffa_mem_region (48) + struct ffa_mem_region_attributes (32) + struct
// ffa_composite_mem_region (16) + the constituents (16 each): include/linux/arm_ffa.h.
uint64_t hyp_ffa_proxy_pages(uint64_t page_size) {
  uint64_t desc_max = 48 + 32 + 16 + kMaxNrConstituents * 16;
  return 2 + (desc_max + page_size - 1) / page_size;
}

emu::SmcccRegs ffa_to_smccc_error(int ffa_errno) {
  return emu::regs(fid::kError, 0, static_cast<uint64_t>(static_cast<int64_t>(ffa_errno)));
}

emu::SmcccRegs ffa_to_smccc_res_prop(int ret, uint64_t prop) {
  if (ret == 0) return emu::regs(fid::kSuccess, 0, prop);
  return ffa_to_smccc_error(ret);
}

emu::SmcccRegs ffa_to_smccc_res(int ret) {
  return ffa_to_smccc_res_prop(ret, 0);
}

bool ffa_call_supported(uint64_t func_id) {
  switch (func_id) {
    // Unsupported memory management calls
    case fid::kMemRetrieveReq64:
    case fid::kMemRetrieveResp:
    case fid::kMemRelinquish:
    case fid::kMemOpPause:
    case fid::kMemOpResume:
    case fid::kMemFragRx:
    case fid::kMemDonate64:
    // Indirect message passing via RX/TX buffers
    case fid::kMsgSend:
    case fid::kMsgPoll:
    case fid::kMsgWait:
    // 32-bit variants of 64-bit calls
    case fid::kMsgSendDirectResp:
    case fid::kRxTxMap:
    case fid::kMemDonate:
    case fid::kMemRetrieveReq:
    // Optional notification interfaces added in FF-A 1.1
    case fid::kNotificationBitmapCreate:
    case fid::kNotificationBitmapDestroy:
    case fid::kNotificationBind:
    case fid::kNotificationUnbind:
    case fid::kNotificationSet:
    case fid::kNotificationGet:
    case fid::kNotificationInfoGet:
    // Optional interfaces added in FF-A 1.2 (only the 32-bit FFA_CONSOLE_LOG is listed)
    case fid::kMsgSendDirectReq2:
    case fid::kMsgSendDirectResp2:
    case fid::kConsoleLog:
    case fid::kPartitionInfoGetRegs:
      return false;
    default:
      return true;
  }
}

// do_ffa_features: refused IDs get NOT_SUPPORTED, memory sharing is answered at EL2 without
// dynamic buffers, everything else (function or feature IDs) goes to EL3.
std::optional<emu::SmcccRegs> FfaProxy::do_ffa_features(const emu::SmcccRegs& host) {
  uint32_t id = host.w(1);
  if (!ffa_call_supported(id))
    return ffa_to_smccc_res(static_cast<int>(ffa::FfaError::NotSupported));
  switch (id) {
    case fid::kMemShare:
    case fid::kMemShare64:
    case fid::kMemLend:
    case fid::kMemLend64:
      return ffa_to_smccc_res_prop(0, 0);
    default:
      return std::nullopt;
  }
}

ProxyResult FfaProxy::kvm_host_ffa_handler(const emu::SmcccRegs& host, uint32_t func_id) {
  if (!ffa::is_ffa_call(emu::FunctionId(func_id))) return {};
  if (func_id != fid::kVersion && !has_version_negotiated_) {
    return {ProxyOutcome::Deny,
            ffa_to_smccc_error(static_cast<int>(ffa::FfaError::InvalidParameters)),
            "pkvm:deny:version_gate"};
  }
  switch (func_id) {
    case fid::kFeatures:
      if (std::optional<emu::SmcccRegs> res = do_ffa_features(host)) {
        return {ProxyOutcome::Handled, *res, "pkvm:do_ffa_features"};
      }
      return {};
    case fid::kRxTxMap64:
      return {ProxyOutcome::Handled, do_ffa_rxtx_map(host), "pkvm:do_ffa_rxtx_map"};
    case fid::kRxTxUnmap:
      return {ProxyOutcome::Handled, do_ffa_rxtx_unmap(host), "pkvm:do_ffa_rxtx_unmap"};
    case fid::kMemShare:
    case fid::kMemShare64:
      return {ProxyOutcome::Handled, do_ffa_mem_xfer(fid::kMemShare64, host),
              "pkvm:do_ffa_mem_xfer"};
    case fid::kMemReclaim:
      return {ProxyOutcome::Handled, do_ffa_mem_reclaim(host), "pkvm:do_ffa_mem_reclaim"};
    case fid::kMemLend:
    case fid::kMemLend64:
      return {ProxyOutcome::Handled, do_ffa_mem_xfer(fid::kMemLend64, host),
              "pkvm:do_ffa_mem_xfer"};
    case fid::kMemFragTx:
      return {ProxyOutcome::Handled, do_ffa_mem_frag_tx(host), "pkvm:do_ffa_mem_frag_tx"};
    case fid::kVersion:
      return {ProxyOutcome::Handled, do_ffa_version(host), "pkvm:do_ffa_version"};
    case fid::kPartitionInfoGet:
      return {ProxyOutcome::Handled, do_ffa_part_get(host), "pkvm:do_ffa_part_get"};
    default:
      break;
  }
  if (ffa_call_supported(func_id)) return {};
  const ffa::CallInfo* info = ffa::find_call(func_id);
  env_.sink.note(ffa::Level::El2, fmt::format("{}: refused by ffa_call_supported(), NOT_SUPPORTED",
                                              info ? info->name : std::string_view("FF-A call")));
  return {ProxyOutcome::Deny, ffa_to_smccc_error(static_cast<int>(ffa::FfaError::NotSupported)),
          "pkvm:deny:ffa_call_supported"};
}

const MailboxPair& FfaProxy::hyp_buffers_or_panic(std::string_view where) const {
  if (!hyp_buffers_) {
    throw HypPanic(
        fmt::format("{}: NULL hyp_buffers (hyp_ffa_init skipped the proxy set-up)", where));
  }
  return *hyp_buffers_;
}

// ffa_mem_desc_offset(buf, 0, hyp_ffa_version): the EMAD array starts at 32 in v1.0, 48 after.
uint64_t FfaProxy::mem_desc_offset() const {
  return hyp_ffa_version_ <= ffa::kV1_0.raw() ? 32 : 48;
}

}  // namespace ffaemu::pkvm
