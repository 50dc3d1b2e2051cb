// TF-A's SPM Dispatcher at EL3 (services/std_svc/spmd/spmd_main.c spmd_smc_handler) for calls
// from the normal world: answers FFA_VERSION/ID_GET/SPM_ID_GET itself, refuses what only the secure
// side may call, forwards the rest to the SPMC and relays the reply (spmd_smc_switch_state).
#pragma once

#include <cstdint>
#include <span>

#include "ffa_core/abi/observer.h"
#include "ffa_core/firmware/config.h"
#include "ffa_core/firmware/reply.h"
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {

class Spmd;
using SpmdHandler = Reply (Spmd::*)(const SmcccRegs&);

struct SpmdCall {
  uint32_t id;
  SpmdHandler handler;
};

// The SPMD's dispatch table (spmd.cpp); a function ID outside it gets FFA_ERROR(NOT_SUPPORTED).
[[nodiscard]] std::span<const SpmdCall> spmd_calls();

class Spmd {
 public:
  Spmd(const FirmwareConfig& config, Spmc& spmc, const ffa::HopSink& sink);

  // An FF-A call from the NS instance (SVE hint already cleared).
  Reply handle(const SmcccRegs& in);

  // nonsecure_ffa_version: the last version the normal world asked for before negotiation closed
  // (0 until the first FFA_VERSION), and whether it has closed.
  [[nodiscard]] uint32_t ns_version() const { return ns_version_; }
  [[nodiscard]] bool ns_version_negotiated() const { return ns_negotiated_; }
  // spmc_nwd_ffa_version: what the SPMC answered to the normal world's FFA_VERSION.
  [[nodiscard]] uint32_t spmc_nwd_version() const { return spmc_nwd_version_; }

  Reply version(const SmcccRegs& in);
  Reply id_get(const SmcccRegs& in);
  Reply spm_id_get(const SmcccRegs& in);
  Reply forward(const SmcccRegs& in);
  Reply direct_req(const SmcccRegs& in);
  Reply direct_req2(const SmcccRegs& in);
  Reply direct_resp2(const SmcccRegs& in);
  Reply partition_info_get_regs(const SmcccRegs& in);
  Reply secure_only(const SmcccRegs& in);
  Reply normal_world_resume(const SmcccRegs& in);

 private:
  [[nodiscard]] uint32_t common_version() const;
  [[nodiscard]] Reply relay(Reply from_secure) const;
  void note(std::string_view message) const { sink_.note(ffa::Level::El3, message); }

  const FirmwareConfig& config_;
  Spmc& spmc_;
  const ffa::HopSink& sink_;
  uint32_t ns_version_ = 0;
  bool ns_negotiated_ = false;
  uint32_t spmc_nwd_version_ = 0;
};

}  // namespace ffaemu::fw
