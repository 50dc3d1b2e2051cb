#include "ffa_core/pkvm/pkvm.h"

#include <stdexcept>

#include <fmt/format.h>

#include "ffa_core/pkvm/hyp_fault.h"
#include "ffa_core/pkvm/psci_relay.h"

namespace ffaemu::pkvm {
namespace {

constexpr uint64_t kCallHints = 0x10000;  // ARM_SMCCC_CALL_HINTS

const PkvmConfig& checked(const PkvmConfig& config, const emu::GuestMemory& memory) {
  if (config.page_size != 4096 && config.page_size != 16384 && config.page_size != 65536) {
    throw std::invalid_argument(
        fmt::format("pkvm: page size {:#x} is not 4K, 16K or 64K", config.page_size));
  }
  if (config.psci_version < 0x2) {
    throw std::invalid_argument("pkvm: the PSCI relay is modelled for PSCI 0.2 and later");
  }
  uint64_t len = hyp_ffa_proxy_pages(config.page_size) * config.page_size;
  const emu::RegionSpec* r = memory.find(emu::PhysAddr{config.ffa_proxy_pages}, len);
  if (r == nullptr || r->kind != emu::RegionKind::HypRam ||
      config.ffa_proxy_pages % config.page_size) {
    throw std::invalid_argument(
        fmt::format("pkvm: FF-A proxy pages [{:#x}, +{:#x}) must be page-aligned hyp-ram",
                    config.ffa_proxy_pages, len));
  }
  return config;
}

}  // namespace

const char* pkvm_state_name(PkvmState state) {
  switch (state) {
    case PkvmState::NotInstalled:
      return "not-installed";
    case PkvmState::Installed:
      return "installed";
    case PkvmState::Finalized:
      return "finalized";
  }
  return "?";
}

Pkvm::Pkvm(PkvmConfig config, emu::TrapHandler& el3, emu::GuestMemory& memory)
    : config_(checked(config, memory)),
      el3_(el3),
      stage2_(config_.page_size, memory),
      env_(config_, el3, memory, stage2_, sink_),
      proxy_(env_) {}

int Pkvm::install(uint16_t smccc_major, uint16_t smccc_minor) {
  if (state_ != PkvmState::NotInstalled) throw std::logic_error("pkvm: installed twice");
  // init_psci_relay records arm_smccc_get_version() for hyp_ffa_init's SMCCC check.
  host_smccc_version_ = (uint32_t{smccc_major} << 16) | smccc_minor;
  sink_.hop(ffa::Level::El2, "pkvm:hyp_ffa_init");
  env_.stop_requested = false;
  int ret = proxy_.hyp_ffa_init(host_smccc_version_, config_.ffa_proxy_pages);
  if (ret) {
    sink_.note(ffa::Level::El2, fmt::format("__pkvm_init failed ({}): pKVM not installed", ret));
    return ret;
  }
  state_ = PkvmState::Installed;  // HCR_EL2.TSC on every CPU from here
  return 0;
}

void Pkvm::finalize() {
  if (state_ != PkvmState::Installed) return;
  state_ = PkvmState::Finalized;
  hcall_.protected_mode_initialized = true;
  if (hcall_.cpu_prot_finalized) {
    sink_.note(ffa::Level::El2, "Failed to finalize Hyp protection: __pkvm_prot_finalize -EPERM");
  }
  hcall_.cpu_prot_finalized = true;
}

emu::TrapReply Pkvm::on_trap(const emu::Trap& trap) {
  env_.stop_requested = false;
  if (state_ == PkvmState::NotInstalled) {
    if (trap.conduit == emu::ConduitKind::Smc) return el3_.on_trap(trap);
    return hyp_stub(trap);
  }
  try {
    return trap.conduit == emu::ConduitKind::Smc ? handle_host_smc(trap) : handle_host_hcall(trap);
  } catch (const HypPanic& e) {
    return stop(trap, fmt::format("hyp_panic: {}", e.what()));
  } catch (const NotModelled& e) {
    return stop(trap, fmt::format("not modelled: {}", e.what()));
  }
}

emu::TrapReply Pkvm::stop(const emu::Trap& trap, std::string_view why) {
  sink_.note(ffa::Level::El2, why);
  return {trap.regs, emu::TrapAction::Stop};
}

// arch/arm64/kernel/hyp-stub.S elx_sync: set/reset vectors, soft restart (no return); anything
// else, including every SMCCC or FF-A ID, gets HVC_STUB_ERR in x0.
emu::TrapReply Pkvm::hyp_stub(const emu::Trap& trap) {
  sink_.hop(ffa::Level::El2, "hyp-stub:elx_sync");
  emu::SmcccRegs out = trap.regs;
  switch (trap.regs.x[0]) {
    case kHvcSetVectors:
      stub_vbar_ = trap.regs.x[1];
      out.x[0] = 0;
      break;
    case kHvcResetVectors:
      out.x[0] = 0;
      break;
    case kHvcSoftRestart:
      return stop(trap, fmt::format("HVC_SOFT_RESTART: branch to {:#x}", trap.regs.x[1]));
    default:
      sink_.note(ffa::Level::El2,
                 fmt::format("hvc {:#x} reached the hyp stub: HVC_STUB_ERR", trap.regs.x[0]));
      out.x[0] = kHvcStubErr;
      break;
  }
  return {out, emu::TrapAction::Resume};
}

// handle_host_smc: PSCI relay, then the FF-A proxy, else forward x0-x17 unchanged from EL2; then
// kvm_skip_host_instr() once (emu resumes after the smc).
emu::TrapReply Pkvm::handle_host_smc(const emu::Trap& trap) {
  uint64_t func_id = trap.regs.x[0] & ~kCallHints;
  emu::SmcccRegs out;
  if (std::optional<emu::SmcccRegs> psci = kvm_host_psci_handler(env_, trap.regs, func_id)) {
    sink_.hop(ffa::Level::El2, "pkvm:kvm_host_psci_handler");
    out = *psci;
  } else {
    ProxyResult r = proxy_.kvm_host_ffa_handler(trap.regs, static_cast<uint32_t>(func_id));
    switch (r.outcome) {
      case ProxyOutcome::Forward:
        sink_.hop(ffa::Level::El2, "pkvm:forward");
        out = env_.smc(trap.regs);
        break;
      case ProxyOutcome::Deny:
        sink_.hop(ffa::Level::El2, r.handler);
        out = r.regs;
        break;
      case ProxyOutcome::Handled:
        sink_.hop(ffa::Level::El2, r.handler);
        out = r.regs;
        break;
    }
  }
  return {out, env_.stop_requested ? emu::TrapAction::Stop : emu::TrapAction::Resume};
}

emu::TrapReply Pkvm::handle_host_hcall(const emu::Trap& trap) {
  sink_.hop(ffa::Level::El2, "pkvm:handle_host_hcall");
  return {pkvm::handle_host_hcall(env_, hcall_, trap.regs), emu::TrapAction::Resume};
}

}  // namespace ffaemu::pkvm
