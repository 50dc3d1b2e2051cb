// The SPMC as the NS physical FF-A instance (endpoint 0) sees it, in two personas: Hafnium at S-EL2
// (src/api.c api_ffa_*) and TF-A's EL3 SPMC (el3_spmc/spmc_main.c *_handler). Every answer comes
// from the state below; guest memory is reached only through GuestMemory after address checks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "emu/memory.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/firmware/config.h"
#include "ffa_core/firmware/reply.h"
#include "ffa_core/firmware/spmc/memory_descriptors.h"
#include "ffa_core/firmware/spmc/services/service.h"

namespace ffaemu::fw {

using ffa::EndpointId;
using ffa::FfaError;
using ffa::FfaVersion;

// RX buffer ownership (Hafnium vm.h mailbox states, TF-A mailbox state).
enum class RxState : uint8_t { Empty, Full, OtherWorldOwned };

struct RxTxPair {
  emu::PhysAddr tx;
  emu::PhysAddr rx;
  uint32_t page_count = 0;
  [[nodiscard]] uint64_t bytes() const { return uint64_t{page_count} * 4096; }
  friend bool operator==(const RxTxPair&, const RxTxPair&) = default;
};

struct NotificationBitmap {
  uint32_t vcpu_count = 0;
  friend bool operator==(const NotificationBitmap&, const NotificationBitmap&) = default;
};

// The normal world's endpoint 0 as the SPMC records it.
struct NsEndpoint {
  std::optional<FfaVersion> version;  // nullopt: TF-A's FFA_VERSION_NULL (never negotiated)
  bool negotiated = false;            // version locked
  std::optional<RxTxPair> rxtx;
  RxState rx_state = RxState::Empty;
  friend bool operator==(const NsEndpoint&, const NsEndpoint&) = default;
};

struct Partition {
  PartitionConfig config;
  std::unique_ptr<PartitionService> service;
  ffa::HopName hop;  // "sp:tpm@0x8001": what a trace shows acting at S-EL1, made once
};

class Spmc;
using SpmcHandler = Reply (Spmc::*)(const SmcccRegs&);

// One row of the SPMC dispatch table (spmc/dispatch.cpp).
struct SpmcCall {
  uint32_t id;
  SpmcHandler handler;
  bool hafnium;        // Hafnium's ffa_handler has a case for it
  bool tfa_el3;        // TF-A's spmc_smc_handler has a case for it
  bool listed_for_ns;  // FFA_FEATURES answers SUCCESS to the NS instance
};

[[nodiscard]] std::span<const SpmcCall> spmc_calls();
[[nodiscard]] const SpmcCall* find_spmc_call(uint32_t id, SpmcPersona persona);

class Spmc {
 public:
  Spmc(const FirmwareConfig& config, emu::GuestMemory& memory, const ffa::HopSink& sink);

  // An FF-A call from the NS instance that the SPMD forwarded (the SVE hint already cleared).
  Reply handle(const SmcccRegs& in);
  // FFA_VERSION as the SPMC answers it: Hafnium via the SPMD's framework message (api_ffa_version),
  // TF-A via ffa_version_handler. Returns the raw w0.
  uint32_t negotiate_version(uint32_t requested);

  [[nodiscard]] const NsEndpoint& ns_endpoint() const { return ns_; }
  [[nodiscard]] const std::vector<Partition>& partitions() const { return partitions_; }
  [[nodiscard]] const std::map<uint16_t, NotificationBitmap>& notification_bitmaps() const {
    return bitmaps_;
  }
  [[nodiscard]] SpmcPersona persona() const { return config_.spmc; }
  [[nodiscard]] FfaVersion implemented_version() const { return config_.ffa_version; }
  // The version that selects the NS caller's wire formats (Hafnium: the compiled version until
  // negotiated).
  [[nodiscard]] FfaVersion caller_version() const;
  [[nodiscard]] uint32_t granule_pages() const { return config_.rxtx_min_bytes / 4096; }
  [[nodiscard]] uint32_t max_rxtx_pages() const;
  [[nodiscard]] const Partition* partition(EndpointId id) const;
  // Memory transactions by handle, and the NS endpoint's hypervisor retrieve in progress.
  [[nodiscard]] const std::map<uint64_t, MemTransaction>& mem_transactions() const { return mem_; }
  [[nodiscard]] const std::optional<HypRetrieve>& hyp_retrieve() const { return hyp_retrieve_; }

  // Handlers, one per call, named after it (spmc/*.cpp).
  Reply features(const SmcccRegs& in);
  Reply rxtx_map(const SmcccRegs& in);
  Reply rxtx_unmap(const SmcccRegs& in);
  Reply rx_release(const SmcccRegs& in);
  Reply rx_acquire(const SmcccRegs& in);
  Reply partition_info_get(const SmcccRegs& in);
  Reply partition_info_get_regs(const SmcccRegs& in);
  Reply msg_send_direct_req(const SmcccRegs& in);
  Reply msg_send_direct_req2(const SmcccRegs& in);
  Reply msg_send_direct_resp(const SmcccRegs& in);
  Reply notification_bitmap_create(const SmcccRegs& in);
  Reply notification_bitmap_destroy(const SmcccRegs& in);
  Reply run(const SmcccRegs& in);
  Reply mem_send(const SmcccRegs& in);  // SHARE, LEND, DONATE
  Reply mem_frag_tx(const SmcccRegs& in);
  Reply mem_reclaim(const SmcccRegs& in);
  Reply mem_retrieve_req(const SmcccRegs& in);
  Reply mem_frag_rx(const SmcccRegs& in);
  Reply mem_relinquish(const SmcccRegs& in);

  // A partition's own FFA_MEM_RETRIEVE_REQ / FFA_MEM_RELINQUISH of `handle` (what the echo
  // service does on request); nullopt on success.
  std::optional<FfaError> partition_retrieve(EndpointId sp, uint64_t handle);
  std::optional<FfaError> partition_relinquish(EndpointId sp, uint64_t handle);

 private:
  Partition* find_partition(EndpointId id);
  [[nodiscard]] bool hafnium() const { return config_.spmc == SpmcPersona::Hafnium; }
  ffa::Level level() const;
  void note(std::string_view message) const;
  Reply deliver_direct_request(const SmcccRegs& in, Partition& target, bool req2);
  std::optional<FfaError> check_buffer(uint64_t addr, uint64_t bytes, const char* which) const;
  std::vector<const Partition*> match(const ffa::Uuid& uuid) const;
  Reply write_partition_descriptors(const std::vector<const Partition*>& found, bool nil_uuid);
  std::optional<FfaError> mem_refuse(FfaError error, std::string_view why) const;
  uint64_t allocate_handle();
  Reply retrieve_req_features(uint32_t input_props) const;
  Reply continue_send(uint64_t handle);
  std::optional<FfaError> check_first_fragment(const MemTransaction& t) const;
  std::optional<FfaError> check_first_fragment_hafnium(const MemTransaction& t) const;
  std::optional<FfaError> check_first_fragment_tfa(const MemTransaction& t) const;
  std::optional<FfaError> check_complete(MemTransaction& t) const;
  std::optional<FfaError> check_ranges(const std::vector<MemRange>& ranges) const;
  uint32_t write_rx(HypRetrieve& r, uint32_t offset);

  FirmwareConfig config_;
  emu::GuestMemory& memory_;
  const ffa::HopSink& sink_;
  NsEndpoint ns_;
  std::vector<Partition> partitions_;
  std::map<uint16_t, NotificationBitmap> bitmaps_;
  std::map<uint64_t, MemTransaction> mem_;
  uint64_t next_handle_ = 0xffffffc0;  // TF-A spmc_shmem_obj_state.next_handle
  std::optional<HypRetrieve> hyp_retrieve_;
};

}  // namespace ffaemu::fw
