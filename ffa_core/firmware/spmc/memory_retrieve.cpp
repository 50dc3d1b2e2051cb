// Retrieval and relinquish (DEN0077 v1.2 sections 10.11-10.12): the NS endpoint's hypervisor
// retrieve (FFA_MEM_RETRIEVE_REQ with no receivers, then FFA_MEM_FRAG_RX), FFA_MEM_RELINQUISH from
// the NS endpoint, and the partitions' own retrieve/relinquish. Hafnium api_ffa_mem_retrieve_req/
// ffa_hypervisor_retrieve_request/api_ffa_mem_frag_rx/api_ffa_mem_relinquish; TF-A
// spmc_ffa_mem_retrieve_req/spmc_ffa_mem_frag_rx/spmc_ffa_mem_relinquish.
#include <algorithm>

#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

// struct ffa_mem_relinquish: handle u64 @0, flags u32 @8, endpoint_count u32 @12, endpoints @16.
constexpr uint32_t kRelinquishHeader = 16;

}  // namespace

Reply Spmc::mem_retrieve_req(const SmcccRegs& in) {
  const bool smc64 = in.function_id().smc64();
  const uint32_t total = in.w(1);
  const uint32_t fragment = in.w(2);
  const uint64_t address = smc64 ? in.x[3] : in.w(3);
  const uint32_t pages = in.w(4);
  const bool v1_0 = caller_version() == ffa::kV1_0;
  const uint32_t header = v1_0 ? mem::kHeaderV1_0 : mem::kHeaderV1_1;
  auto refuse = [&](FfaError error, std::string_view why) {
    return ffa_error(*mem_refuse(error, fmt::format("FFA_MEM_RETRIEVE_REQ: {}", why)));
  };
  if (address != 0 || pages != 0) {
    return refuse(FfaError::InvalidParameters, "only descriptors in the TX buffer are supported");
  }
  if (hafnium()) {
    if (fragment != total) return refuse(FfaError::InvalidParameters, "fragmented request");
    if (!ns_.rxtx || total > ns_.rxtx->bytes()) {
      return refuse(FfaError::InvalidParameters, "request does not fit a mapped TX buffer");
    }
    if (ns_.rx_state != RxState::Empty) return refuse(FfaError::Busy, "RX buffer not free");
  } else {
    if (!ns_.rxtx) return refuse(FfaError::InvalidParameters, "no RX/TX pair is mapped");
    if (ns_.rx_state != RxState::Empty) return refuse(FfaError::Denied, "RX buffer not free");
    if (fragment != total) return refuse(FfaError::InvalidParameters, "fragmented request");
  }
  if (total < header || total > ns_.rxtx->bytes()) {
    return refuse(FfaError::InvalidParameters, fmt::format("length {:#x}", total));
  }
  std::vector<uint8_t> request(total);
  memory_.read(ns_.rxtx->tx, request);
  const MemHeader h = parse_mem_header(request, v1_0);
  if (h.emad_count != 0) {
    return refuse(FfaError::InvalidParameters, "the NS endpoint borrows nothing from the SPMC");
  }
  if (hafnium()) {
    // api_ffa_memory_hypervisor_retrieve_request_validate: only the handle may be set.
    const bool blank = h.sender == 0 && (h.attributes & 0x7f) == 0 && h.flags == 0 && h.tag == 0 &&
                       (v1_0 || (h.emad_size == 0 && h.emad_offset == 0));
    if (!blank || (h.handle & mem::kHandleAllocatorHypervisor) != 0) {
      return refuse(FfaError::InvalidParameters, "hypervisor retrieve request must be blank");
    }
  }
  auto it = mem_.find(h.handle);
  if (it == mem_.end()) return refuse(FfaError::InvalidParameters, "no such handle");
  const MemTransaction& t = it->second;
  if (!t.complete()) return refuse(FfaError::InvalidParameters, "not fully sent");
  if (!hafnium()) {
    if ((h.attributes & mem::kAttrNs) != 0) {
      return refuse(FfaError::InvalidParameters, "NS attribute bit must be 0");
    }
    if (h.flags != 0 && h.flags != (t.header.flags & (3u << 3))) {
      return refuse(FfaError::InvalidParameters, fmt::format("flags {:#x}", h.flags));
    }
  }
  if (hafnium() && hyp_retrieve_ && hyp_retrieve_->handle == h.handle &&
      hyp_retrieve_->next_offset < hyp_retrieve_->response.size()) {
    return refuse(FfaError::Denied, "already being retrieved by the hypervisor");
  }
  HypRetrieve r{h.handle, hyp_retrieve_response(t, caller_version(), hafnium()), 0};
  const auto length = static_cast<uint32_t>(r.response.size());
  const uint32_t copied = write_rx(r, 0);
  hyp_retrieve_ = std::move(r);
  return ret(8, emu::regs(ffa::fid::kMemRetrieveResp, length, copied));
}

// Copies the response from `offset` into the NS RX buffer, which the caller then owns.
uint32_t Spmc::write_rx(HypRetrieve& r, uint32_t offset) {
  const auto length =
      static_cast<uint32_t>(std::min<uint64_t>(r.response.size() - offset, ns_.rxtx->bytes()));
  memory_.write(ns_.rxtx->rx, std::span<const uint8_t>(r.response).subspan(offset, length));
  ns_.rx_state = RxState::Full;
  r.next_offset = offset + length;
  return length;
}

Reply Spmc::mem_frag_rx(const SmcccRegs& in) {
  const uint64_t handle = in.w(1) | (uint64_t{in.w(2)} << 32);
  const uint32_t offset = in.w(3);
  const uint32_t sender = in.w(4);
  auto refuse = [&](FfaError error, std::string_view why) {
    return ffa_error(*mem_refuse(error, fmt::format("FFA_MEM_FRAG_RX {:#x}: {}", handle, why)));
  };
  auto it = mem_.find(handle);
  const bool ours = hyp_retrieve_ && hyp_retrieve_->handle == handle;
  if (hafnium()) {
    if (!ns_.rxtx) return refuse(FfaError::InvalidParameters, "no RX buffer is mapped");
    if (ns_.rx_state != RxState::Empty) return refuse(FfaError::Busy, "RX buffer not free");
    if (it == mem_.end()) return refuse(FfaError::InvalidParameters, "no such handle");
    if (!ours || offset != hyp_retrieve_->next_offset) {
      return refuse(FfaError::InvalidParameters, fmt::format("offset {:#x} not expected", offset));
    }
  } else {
    if (it == mem_.end()) return refuse(FfaError::InvalidParameters, "no such handle");
    if (sender != 0 && sender != uint32_t{it->second.header.sender} << 16) {
      return refuse(FfaError::InvalidParameters, fmt::format("sender {:#x} in w4", sender));
    }
    if (!ours || offset >= hyp_retrieve_->response.size()) {
      return refuse(FfaError::InvalidParameters, fmt::format("offset {:#x}", offset));
    }
    if (!ns_.rxtx) return refuse(FfaError::InvalidParameters, "no RX buffer is mapped");
    if (ns_.rx_state != RxState::Empty) return refuse(FfaError::Denied, "RX buffer not free");
    if (offset != hyp_retrieve_->next_offset) {
      return refuse(FfaError::InvalidParameters, fmt::format("offset {:#x} not expected", offset));
    }
  }
  const uint32_t copied = write_rx(*hyp_retrieve_, offset);
  return ret(8, emu::regs(ffa::fid::kMemFragTx, in.w(1), in.w(2), copied, sender));
}

Reply Spmc::mem_relinquish(const SmcccRegs&) {
  auto refuse = [&](std::string_view why) {
    return ffa_error(
        *mem_refuse(FfaError::InvalidParameters, fmt::format("FFA_MEM_RELINQUISH: {}", why)));
  };
  // TF-A spmc_ffa_mem_relinquish: "unsupported relinquish direction".
  if (!hafnium()) return refuse("only partitions relinquish");
  if (!ns_.rxtx) return refuse("no TX buffer is mapped");
  std::vector<uint8_t> request(kRelinquishHeader + 2);
  memory_.read(ns_.rxtx->tx, request);
  if (get_u32(request, 12) != 1) return refuse("the descriptor must name one endpoint");
  const uint64_t handle = get_u64(request, 0);
  if (!mem_.contains(handle)) return refuse(fmt::format("no such handle {:#x}", handle));
  return refuse(
      fmt::format("endpoint {:#x} has not retrieved {:#x}", get_u16(request, 16), handle));
}

std::optional<FfaError> Spmc::partition_retrieve(EndpointId sp, uint64_t handle) {
  auto it = mem_.find(handle);
  if (it == mem_.end() || !it->second.complete()) {
    return mem_refuse(FfaError::InvalidParameters,
                      fmt::format("{} retrieves {:#x}: no such transaction", sp, handle));
  }
  MemTransaction& t = it->second;
  auto receiver = std::find_if(t.receivers.begin(), t.receivers.end(),
                               [&](const MemReceiver& r) { return r.id == sp; });
  if (receiver == t.receivers.end()) {
    return mem_refuse(FfaError::InvalidParameters,
                      fmt::format("{} is not a receiver of {:#x}", sp, handle));
  }
  // Hafnium ffa_memory_retrieve_validate refuses a second retrieve; TF-A counts them (in_use).
  if (hafnium() && receiver->retrieved != 0) {
    return mem_refuse(FfaError::Denied, fmt::format("{} already retrieved {:#x}", sp, handle));
  }
  if (t.op == MemOp::Donate) {
    // ffa_memory_retrieve_complete: a donation ends once the receiver has it.
    mem_.erase(it);
    return std::nullopt;
  }
  ++receiver->retrieved;
  return std::nullopt;
}

std::optional<FfaError> Spmc::partition_relinquish(EndpointId sp, uint64_t handle) {
  auto it = mem_.find(handle);
  if (it == mem_.end()) {
    return mem_refuse(FfaError::InvalidParameters,
                      fmt::format("{} relinquishes {:#x}: no such transaction", sp, handle));
  }
  auto& receivers = it->second.receivers;
  auto receiver = std::find_if(receivers.begin(), receivers.end(),
                               [&](const MemReceiver& r) { return r.id == sp; });
  if (receiver == receivers.end() || receiver->retrieved == 0) {
    return mem_refuse(FfaError::InvalidParameters,
                      fmt::format("{} has not retrieved {:#x}", sp, handle));
  }
  --receiver->retrieved;
  return std::nullopt;
}

}  // namespace ffaemu::fw
