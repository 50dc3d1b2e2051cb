// FFA_MEM_SHARE/LEND/DONATE, FFA_MEM_FRAG_TX and FFA_MEM_RECLAIM from the NS endpoint (DEN0077
// v1.2 section 10.11, DEN0140 chapter 3): Hafnium api_ffa_mem_send/ffa_memory_send_validate/
// ffa_send_check_update/ffa_memory_reclaim, TF-A spmc_ffa_mem_send/spmc_ffa_fill_desc/
// spmc_shmem_check_obj/spmc_ffa_mem_reclaim. Checks run in each persona's order.
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

struct MemSendCall {
  uint32_t total;
  uint32_t fragment;
  uint64_t address;
  uint32_t page_count;
};

MemSendCall decode_send(const SmcccRegs& in) {
  const bool smc64 = in.function_id().smc64();
  return {in.w(1), in.w(2), smc64 ? in.x[3] : in.w(3), in.w(4)};
}

MemOp op_of(uint32_t id) {
  if ((id & 0xff) == (ffa::fid::kMemDonate & 0xff)) return MemOp::Donate;
  return (id & 0xff) == (ffa::fid::kMemLend & 0xff) ? MemOp::Lend : MemOp::Share;
}

uint32_t type_flag(MemOp op) {
  if (op == MemOp::Donate) return mem::kFlagTypeDonate;
  return op == MemOp::Lend ? mem::kFlagTypeLend : mem::kFlagTypeShare;
}

Reply success_with_handle(uint64_t handle) {
  return ret(8, ffa::success_reply(static_cast<uint32_t>(handle), handle >> 32));
}

}  // namespace

std::optional<FfaError> Spmc::mem_refuse(FfaError error, std::string_view why) const {
  note(fmt::format("FF-A memory management: {}", why));
  return error;
}

uint64_t Spmc::allocate_handle() {
  if (!hafnium()) return next_handle_++;
  // Hafnium share_state_allocate: the first free share-state slot, allocator bit 63 clear (SPMC).
  uint64_t index = 0;
  while (mem_.contains(index))
    ++index;
  return index;
}

Reply Spmc::mem_send(const SmcccRegs& in) {
  const MemSendCall call = decode_send(in);
  const MemOp op = op_of(in.w(0));
  const bool v1_0 = caller_version() == ffa::kV1_0;
  const uint32_t header = v1_0 ? mem::kHeaderV1_0 : mem::kHeaderV1_1;
  auto refuse = [&](FfaError error, std::string_view why) {
    return ffa_error(*mem_refuse(
        error, fmt::format("{} (total {:#x}, fragment {:#x})", why, call.total, call.fragment)));
  };
  if (call.address != 0 || call.page_count != 0) {
    return refuse(FfaError::InvalidParameters, "only descriptors in the TX buffer are supported");
  }
  if (hafnium() && call.fragment > call.total) {
    return refuse(FfaError::InvalidParameters, "fragment longer than the total");
  }
  if (!hafnium() && call.fragment < header) {
    return refuse(FfaError::InvalidParameters, "first fragment shorter than the header");
  }
  if (!ns_.rxtx) return refuse(FfaError::InvalidParameters, "no TX buffer is mapped");
  if (call.fragment > ns_.rxtx->bytes()) {
    return refuse(FfaError::InvalidParameters, "fragment longer than the TX buffer");
  }
  if (call.fragment > call.total || call.fragment < header) {
    return refuse(FfaError::InvalidParameters, "fragment longer than the total or the header");
  }
  std::vector<uint8_t> first(call.fragment);
  memory_.read(ns_.rxtx->tx, first);
  MemTransaction t{op, parse_mem_header(first, v1_0), {}, {}, std::move(first), call.total};
  if (auto error = check_first_fragment(t)) return ffa_error(*error);
  t.header.handle = allocate_handle();
  const uint64_t handle = t.header.handle;
  mem_.emplace(handle, std::move(t));
  return continue_send(handle);
}

// After each fragment: FFA_MEM_FRAG_RX for the next one, or the final checks. A failed final
// check aborts the transaction (Hafnium share_state_free, TF-A spmc_shmem_obj_free).
Reply Spmc::continue_send(uint64_t handle) {
  MemTransaction& t = mem_.at(handle);
  if (!t.complete()) {
    return ret(8, emu::regs(ffa::fid::kMemFragRx, static_cast<uint32_t>(handle), handle >> 32,
                            t.bytes.size(), uint32_t{t.header.sender} << 16));
  }
  if (auto error = check_complete(t)) {
    mem_.erase(handle);
    return ffa_error(*error);
  }
  t.header.flags |= type_flag(t.op);
  return success_with_handle(handle);
}

Reply Spmc::mem_frag_tx(const SmcccRegs& in) {
  const uint64_t handle = in.w(1) | (uint64_t{in.w(2)} << 32);
  const uint32_t length = in.w(3);
  const uint32_t sender = in.w(4);
  auto it = mem_.find(handle);
  auto refuse = [&](FfaError error, std::string_view why) {
    return ffa_error(*mem_refuse(error, fmt::format("FFA_MEM_FRAG_TX {:#x}: {}", handle, why)));
  };
  if (hafnium()) {
    if (!ns_.rxtx || length > ns_.rxtx->bytes()) {
      return refuse(FfaError::InvalidParameters, "fragment longer than the TX buffer");
    }
    if (length % mem::kConstituentSize != 0) {
      return refuse(FfaError::InvalidParameters, "fragment is not whole constituents");
    }
  }
  if (it == mem_.end()) return refuse(FfaError::InvalidParameters, "no such handle");
  MemTransaction& t = it->second;
  if (!hafnium() && sender != uint32_t{t.header.sender} << 16) {
    return refuse(FfaError::InvalidParameters, fmt::format("sender {:#x} in w4", sender));
  }
  if (t.complete()) return refuse(FfaError::InvalidParameters, "the descriptor is complete");
  const uint32_t remaining = t.total_length - static_cast<uint32_t>(t.bytes.size());
  if (hafnium() && length > remaining) {
    return refuse(FfaError::InvalidParameters, "fragment runs past the total length");
  }
  if (!hafnium() && (!ns_.rxtx || length > ns_.rxtx->bytes() || length > remaining)) {
    // spmc_ffa_fill_desc: errors past the handle checks free the object.
    mem_.erase(it);
    return refuse(FfaError::InvalidParameters, "bad fragment length, transaction aborted");
  }
  std::vector<uint8_t> fragment(length);
  memory_.read(ns_.rxtx->tx, fragment);
  t.bytes.insert(t.bytes.end(), fragment.begin(), fragment.end());
  return continue_send(handle);
}

Reply Spmc::mem_reclaim(const SmcccRegs& in) {
  const uint64_t handle = in.w(1) | (uint64_t{in.w(2)} << 32);
  const uint32_t flags = in.w(3);
  auto refuse = [&](FfaError error, std::string_view why) {
    return ffa_error(*mem_refuse(error, fmt::format("FFA_MEM_RECLAIM {:#x}: {}", handle, why)));
  };
  if (!hafnium() && flags != 0) {
    return refuse(FfaError::InvalidParameters, fmt::format("flags {:#x} unsupported", flags));
  }
  if (hafnium() && (handle & mem::kHandleAllocatorHypervisor) != 0) {
    return refuse(FfaError::InvalidParameters, "handle allocated by the hypervisor");
  }
  auto it = mem_.find(handle);
  if (it == mem_.end()) return refuse(FfaError::InvalidParameters, "no such handle");
  const MemTransaction& t = it->second;
  if (hafnium() && !t.complete()) return refuse(FfaError::InvalidParameters, "not fully sent");
  if (t.retrieved()) return refuse(FfaError::Denied, "still retrieved by a borrower");
  if (!t.complete()) return refuse(FfaError::InvalidParameters, "not fully sent");
  mem_.erase(it);
  if (hyp_retrieve_ && hyp_retrieve_->handle == handle) hyp_retrieve_.reset();
  return ret(hafnium() ? 8 : 1, ffa::success_reply());
}

std::optional<FfaError> Spmc::check_first_fragment(const MemTransaction& t) const {
  return hafnium() ? check_first_fragment_hafnium(t) : check_first_fragment_tfa(t);
}

// spmc_ffa_fill_desc and spmc_validate_mtd_start on the first fragment.
std::optional<FfaError> Spmc::check_first_fragment_tfa(const MemTransaction& t) const {
  const MemHeader& h = t.header;
  const bool v1_0 = caller_version() == ffa::kV1_0;
  if (EndpointId{h.sender}.secure()) {
    return mem_refuse(FfaError::Denied, fmt::format("sender {:#x} is secure", h.sender));
  }
  if ((h.attributes & mem::kAttrNs) != 0) {
    return mem_refuse(FfaError::InvalidParameters, "NS attribute bit must be 0");
  }
  if (h.flags != 0 && h.flags != type_flag(t.op)) {
    return mem_refuse(FfaError::InvalidParameters, fmt::format("flags {:#x}", h.flags));
  }
  if (h.emad_count == 0) return mem_refuse(FfaError::InvalidParameters, "no receivers");
  if (!v1_0 && (h.emad_offset % 16 != 0 || h.emad_offset < mem::kHeaderV1_1 ||
                h.emad_size < mem::kEmadV1_0 || h.emad_size % 16 != 0)) {
    return mem_refuse(FfaError::InvalidParameters,
                      fmt::format("EMAD offset {:#x} size {:#x}", h.emad_offset, h.emad_size));
  }
  const uint64_t emad_end =
      uint64_t{h.emad_count} * h.emad_size + mem::kCompositeSize + h.emad_offset;
  if (emad_end > t.total_length) {
    return mem_refuse(FfaError::InvalidParameters, "EMADs and composite run past the total");
  }
  return std::nullopt;
}

}  // namespace ffaemu::fw
