// The SPMC's one dispatch table: which FF-A calls each persona handles from the NS instance, with
// the handler and whether FFA_FEATURES lists it (Hafnium ffa_handler/ffa_features_function, TF-A
// spmc_smc_handler/ffa_features_handler). Names and "since" versions come from the ABI catalog.
#include <algorithm>
#include <cctype>
#include <string>

#include "ffa_core/abi/catalog.h"
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

namespace fid = ffa::fid;

constexpr SpmcCall kCalls[] = {
    // id, handler, hafnium, tf-a-el3, listed to NS by FFA_FEATURES
    {fid::kFeatures, &Spmc::features, true, true, true},
    {fid::kRxTxMap, &Spmc::rxtx_map, false, true, true},
    {fid::kRxTxMap64, &Spmc::rxtx_map, true, true, true},
    {fid::kRxTxUnmap, &Spmc::rxtx_unmap, true, true, true},
    {fid::kRxRelease, &Spmc::rx_release, true, true, true},
    {fid::kRxAcquire, &Spmc::rx_acquire, true, false, true},
    {fid::kPartitionInfoGet, &Spmc::partition_info_get, true, true, true},
    {fid::kPartitionInfoGetRegs, &Spmc::partition_info_get_regs, true, false, true},
    {fid::kMsgSendDirectReq, &Spmc::msg_send_direct_req, true, true, true},
    {fid::kMsgSendDirectReq64, &Spmc::msg_send_direct_req, true, true, true},
    {fid::kMsgSendDirectReq2, &Spmc::msg_send_direct_req2, true, true, true},
    {fid::kMsgSendDirectResp, &Spmc::msg_send_direct_resp, true, true, false},
    {fid::kMsgSendDirectResp64, &Spmc::msg_send_direct_resp, true, true, false},
    {fid::kMsgSendDirectResp2, &Spmc::msg_send_direct_resp, true, true, false},
    {fid::kNotificationBitmapCreate, &Spmc::notification_bitmap_create, true, false, true},
    {fid::kNotificationBitmapDestroy, &Spmc::notification_bitmap_destroy, true, false, true},
    {fid::kRun, &Spmc::run, true, true, true},
    {fid::kMemDonate, &Spmc::mem_send, true, false, true},
    {fid::kMemDonate64, &Spmc::mem_send, true, false, true},
    {fid::kMemLend, &Spmc::mem_send, true, true, true},
    {fid::kMemLend64, &Spmc::mem_send, true, true, true},
    {fid::kMemShare, &Spmc::mem_send, true, true, true},
    {fid::kMemShare64, &Spmc::mem_send, true, true, true},
    {fid::kMemFragTx, &Spmc::mem_frag_tx, true, true, true},
    {fid::kMemReclaim, &Spmc::mem_reclaim, true, true, true},
    {fid::kMemRetrieveReq, &Spmc::mem_retrieve_req, true, true, true},
    {fid::kMemRetrieveReq64, &Spmc::mem_retrieve_req, true, true, true},
    {fid::kMemFragRx, &Spmc::mem_frag_rx, true, true, true},
    {fid::kMemRelinquish, &Spmc::mem_relinquish, true, true, true},
};

// "FFA_RXTX_MAP_64" -> "spmc:rxtx_map_64".
// "spmc:rxtx_map" for FFA_RXTX_MAP, made and kept once per catalogued call.
ffa::HopName hop_name(const ffa::CallInfo& info) {
  static const std::vector<ffa::HopName> names = [] {
    std::vector<ffa::HopName> out;
    for (const ffa::CallInfo& call : ffa::all_calls()) {
      std::string_view name = call.name;
      if (name.starts_with("FFA_")) name.remove_prefix(4);
      std::string hop = "spmc:";
      for (char c : name)
        hop += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.push_back(ffa::HopName::keep(hop));
    }
    return out;
  }();
  return names[static_cast<size_t>(&info - ffa::all_calls().data())];
}

}  // namespace

std::span<const SpmcCall> spmc_calls() {
  return kCalls;
}

const SpmcCall* find_spmc_call(uint32_t id, SpmcPersona persona) {
  auto it = std::find_if(std::begin(kCalls), std::end(kCalls), [&](const SpmcCall& c) {
    return c.id == id && (persona == SpmcPersona::Hafnium ? c.hafnium : c.tfa_el3);
  });
  return it == std::end(kCalls) ? nullptr : &*it;
}

Spmc::Spmc(const FirmwareConfig& config, emu::GuestMemory& memory, const ffa::HopSink& sink)
    : config_(config), memory_(memory), sink_(sink) {
  // Hafnium starts the other-world VM at the compiled version (other_world.c); TF-A at
  // FFA_VERSION_NULL (spmc_main.c sp_init).
  if (hafnium()) ns_.version = config_.ffa_version;
  for (const PartitionConfig& p : config_.partitions) {
    partitions_.push_back(Partition{p, make_service(p.service), {}});
  }
}

ffa::Level Spmc::level() const {
  return hafnium() ? ffa::Level::SEl2 : ffa::Level::El3;
}

void Spmc::note(std::string_view message) const {
  sink_.note(level(), message);
}

FfaVersion Spmc::caller_version() const {
  return ns_.version.value_or(config_.ffa_version);
}

uint32_t Spmc::max_rxtx_pages() const {
  // Hafnium: FFA_RXTX_MAP_MAX_BUF_PAGE_COUNT, one buffer of the minimum granule; TF-A: the
  // page-count field is masked to 5 bits (FFA_RXTX_PAGE_COUNT_MASK).
  return hafnium() ? granule_pages() : 0x1f;
}

Partition* Spmc::find_partition(EndpointId id) {
  for (Partition& p : partitions_) {
    if (p.config.id == id) return &p;
  }
  return nullptr;
}

const Partition* Spmc::partition(EndpointId id) const {
  for (const Partition& p : partitions_) {
    if (p.config.id == id) return &p;
  }
  return nullptr;
}

Reply Spmc::handle(const SmcccRegs& in) {
  const uint32_t id = in.w(0);
  const ffa::CallInfo* info = ffa::find_call(id);
  if (sink_.attached()) {
    // An unknown ID's value is in the note that refuses it.
    sink_.hop(level(), info ? hop_name(*info) : ffa::HopName("spmc:unknown"));
  }
  if (!hafnium()) {
    // TF-A spmc_smc_handler: any call but FFA_VERSION closes negotiation and needs a version.
    ns_.negotiated = true;
    if (!ns_.version) {
      note(fmt::format("{}: no FF-A version negotiated before the first call",
                       info ? info->name : "FF-A call"));
      return ffa_error(FfaError::NotSupported);
    }
  }
  const SpmcCall* call = find_spmc_call(id, config_.spmc);
  if (call == nullptr || info == nullptr) {
    note(fmt::format("{:#010x}: not implemented by the {} SPMC", id, persona_name(config_.spmc)));
    return ffa_error(FfaError::NotSupported);
  }
  // Hafnium hvc_smc_handler: a handled call other than FFA_VERSION closes negotiation.
  if (hafnium()) ns_.negotiated = true;
  if (info->since > config_.ffa_version || info->since > caller_version()) {
    note(fmt::format("{}: introduced in {}, caller at {}, SPMC at {}", info->name, info->since,
                     caller_version(), config_.ffa_version));
    return ffa_error(FfaError::NotSupported);
  }
  return (this->*call->handler)(in);
}

}  // namespace ffaemu::fw
