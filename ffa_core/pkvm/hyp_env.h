// What pKVM's EL2 code reaches: its own SMC to EL3 (arm_smccc_1_2_smc), memory (host pages it
// borrowed and its own hyp pages), the host stage-2 model and the trace sink.
#pragma once

#include <cstdint>

#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/pkvm/config.h"
#include "ffa_core/pkvm/host_stage2.h"

namespace ffaemu::pkvm {

class HypEnv {
 public:
  HypEnv(const PkvmConfig& config, emu::TrapHandler& el3, emu::GuestMemory& memory,
         HostStage2& stage2, ffa::HopSink& sink)
      : config(config), memory(memory), stage2(stage2), sink(sink), el3_(el3) {}

  // arm_smccc_1_2_smc from EL2: x0-x17 in, x0-x17 out. An EL3 Stop is remembered for the trap.
  emu::SmcccRegs smc(const emu::SmcccRegs& args);
  // memcpy between two guest physical ranges the caller has checked.
  void copy(uint64_t dst, uint64_t src, uint64_t len);
  [[nodiscard]] uint64_t mailbox_size() const { return config.page_size; }  // KVM_FFA_MBOX_NR_PAGES

  // Reset at the start of every host trap; true when a call EL2 made asked the run to stop.
  bool stop_requested = false;

  const PkvmConfig& config;
  emu::GuestMemory& memory;
  HostStage2& stage2;
  ffa::HopSink& sink;

 private:
  emu::TrapHandler& el3_;
};

}  // namespace ffaemu::pkvm
