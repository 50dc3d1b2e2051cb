// FFA_RXTX_MAP/UNMAP, FFA_RX_RELEASE/ACQUIRE (DEN0077 v1.2 sections 14.1-14.4): Hafnium
// api_ffa_rxtx_map/api_vm_configure_pages, api_ffa_rxtx_unmap, api_ffa_rx_release/acquire; TF-A
// el3_spmc rxtx_map_handler, rxtx_unmap_handler, rx_release_handler. The checks run in each
// persona's order, so a call with several faults gets the error that implementation returns first.
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

struct RxTxMapCall {
  uint64_t tx;
  uint64_t rx;
  uint32_t page_count;
};

// SMC32 callers pass 32-bit addresses in w1/w2 (upper halves ignored); TF-A masks the page count
// to bits 4:0 (FFA_RXTX_PAGE_COUNT_MASK), Hafnium takes w3 whole.
RxTxMapCall decode_map(const SmcccRegs& in, bool tfa) {
  const bool smc64 = in.function_id().smc64();
  return {smc64 ? in.x[1] : in.w(1), smc64 ? in.x[2] : in.w(2), tfa ? (in.w(3) & 0x1fu) : in.w(3)};
}

bool overlap(uint64_t a, uint64_t b, uint64_t len) {
  return a < b + len && b < a + len;
}

}  // namespace

std::optional<FfaError> Spmc::check_buffer(uint64_t addr, uint64_t bytes, const char* which) const {
  const emu::RegionSpec* region = memory_.find(emu::PhysAddr{addr}, bytes);
  const emu::RegionSpec* first = memory_.find(emu::PhysAddr{addr}, 1);
  if ((region ? region : first) != nullptr &&
      (region ? region : first)->kind == emu::RegionKind::SecureRam) {
    note(fmt::format("FFA_RXTX_MAP: {} {:#x} is secure memory", which, addr));
    return FfaError::Denied;
  }
  if (region == nullptr) {
    note(fmt::format("FFA_RXTX_MAP: {} [{:#x}, +{:#x}) is not inside one NS RAM region", which,
                     addr, bytes));
    return hafnium() ? FfaError::Denied : FfaError::InvalidParameters;
  }
  const bool ram =
      region->kind == emu::RegionKind::HostRam || region->kind == emu::RegionKind::HypRam;
  if (!ram || (region->perms & emu::kWrite) == 0) {
    note(fmt::format("FFA_RXTX_MAP: {} {:#x} is in {} ({}), not RW NS RAM", which, addr,
                     region->name, emu::region_kind_name(region->kind)));
    return FfaError::InvalidParameters;
  }
  return std::nullopt;
}

Reply Spmc::rxtx_map(const SmcccRegs& in) {
  const RxTxMapCall call = decode_map(in, !hafnium());
  const uint64_t bytes = uint64_t{call.page_count} * 4096;
  const uint64_t granule = config_.rxtx_min_bytes;
  auto invalid = [&](std::string_view why) {
    note(fmt::format("FFA_RXTX_MAP: {} (tx {:#x} rx {:#x} pages {})", why, call.tx, call.rx,
                     call.page_count));
    return ffa_error(FfaError::InvalidParameters);
  };
  if (!hafnium()) {
    if (call.tx == 0 || call.rx == 0) return invalid("mapping on behalf of a VM is not supported");
    if (call.tx == call.rx) return invalid("TX and RX are the same buffer");
    if (call.page_count == 0) return invalid("page count is 0");
    if (bytes % granule != 0) return invalid("size is not a multiple of the granule");
  }
  if (ns_.rxtx) {
    note(fmt::format("FFA_RXTX_MAP: a pair is already mapped (tx {:#x} rx {:#x})",
                     ns_.rxtx->tx.value, ns_.rxtx->rx.value));
    return ffa_error(FfaError::Denied);
  }
  if (hafnium()) {
    if (call.page_count < 1 || call.page_count > max_rxtx_pages()) {
      return invalid(fmt::format("page count must be 1..{}", max_rxtx_pages()));
    }
    if (bytes % granule != 0) return invalid("size is not a multiple of the granule");
  }
  if (call.tx % granule != 0 || call.rx % granule != 0) {
    return invalid(fmt::format("buffers are not {}K aligned", granule / 1024));
  }
  if (overlap(call.tx, call.rx, bytes)) return invalid("TX and RX overlap");
  for (auto [addr, which] : {std::pair{call.tx, "tx"}, std::pair{call.rx, "rx"}}) {
    if (auto error = check_buffer(addr, bytes, which)) return ffa_error(*error);
  }
  ns_.rxtx = RxTxPair{emu::PhysAddr{call.tx}, emu::PhysAddr{call.rx}, call.page_count};
  ns_.rx_state = RxState::Empty;
  return ret(hafnium() ? 8 : 1, ffa::success_reply());
}

Reply Spmc::rxtx_unmap(const SmcccRegs& in) {
  // Hafnium reads the endpoint ID from w1[31:16]; TF-A refuses any non-zero w1.
  const uint32_t id = hafnium() ? in.w(1) >> 16 : in.w(1);
  if (id != 0) {
    note(fmt::format("FFA_RXTX_UNMAP: w1 {:#x} names no endpoint the SPMC maps for", in.w(1)));
    return ffa_error(FfaError::InvalidParameters);
  }
  if (!ns_.rxtx) {
    note("FFA_RXTX_UNMAP: no buffer pair is mapped");
    return ffa_error(FfaError::InvalidParameters);
  }
  ns_.rxtx.reset();
  ns_.rx_state = RxState::Empty;
  return ret(hafnium() ? 8 : 1, ffa::success_reply());
}

Reply Spmc::rx_release(const SmcccRegs& in) {
  const uint16_t vm_id = in.w(1) & 0xffff;
  if (hafnium() && vm_id != 0) {
    note(fmt::format("FFA_RX_RELEASE: unknown VM {:#x}", vm_id));
    return ffa_error(FfaError::InvalidParameters);
  }
  const bool owned = ns_.rxtx && (ns_.rx_state == RxState::Full ||
                                  (hafnium() && ns_.rx_state == RxState::OtherWorldOwned));
  if (!owned) {
    note("FFA_RX_RELEASE: the caller does not own its RX buffer");
    return ffa_error(FfaError::Denied);
  }
  ns_.rx_state = RxState::Empty;
  return ret(hafnium() ? 8 : 1, ffa::success_reply());
}

Reply Spmc::rx_acquire(const SmcccRegs& in) {
  const EndpointId vm{static_cast<uint16_t>(in.w(1) & 0xffff)};
  if (vm.secure()) {
    note(fmt::format("FFA_RX_ACQUIRE: {} is not a VM ID", vm));
    return ffa_error(FfaError::NotSupported);
  }
  if (vm != ffa::kHostId || !ns_.rxtx) {
    note(fmt::format("FFA_RX_ACQUIRE: {} has no RX buffer mapped", vm));
    return ffa_error(FfaError::InvalidParameters);
  }
  if (ns_.rx_state != RxState::Empty) {
    note("FFA_RX_ACQUIRE: the RX buffer is not free");
    return ffa_error(FfaError::Denied);
  }
  ns_.rx_state = RxState::OtherWorldOwned;
  return ret(8, ffa::success_reply());
}

}  // namespace ffaemu::fw
