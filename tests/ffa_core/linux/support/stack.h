// The whole firmware stack in process: EL3 firmware (SPMD + SPMC), pKVM at EL2 when `pkvm on`, and
// a Conduit per instruction that hands the call to the handler the guest's smc/hvc would reach.
#pragma once

#include <memory>
#include <optional>

#include "emu/layout.h"
#include "ffa_core/firmware/el3.h"
#include "ffa_core/linux/kernel.h"
#include "ffa_core/linux/kvm/pkvm_hypervisor.h"
#include "ffa_core/pkvm/pkvm.h"

namespace ffaemu::lnx::test {

class TrapConduit final : public emu::Conduit {
 public:
  TrapConduit(emu::TrapHandler& handler, emu::ConduitKind kind) : handler_(handler), kind_(kind) {}
  [[nodiscard]] emu::ConduitKind kind() const override { return kind_; }
  emu::SmcccRegs invoke(emu::SmcccRegs in) override {
    return handler_.on_trap(emu::Trap{kind_, 0, emu::layout::kCodeBase, 1, in}).regs;
  }

 private:
  emu::TrapHandler& handler_;
  emu::ConduitKind kind_;
};

struct Stack {
  explicit Stack(KernelConfig cfg, fw::FirmwareConfig fw_config = {}) : config(cfg) {
    for (const emu::RegionSpec& r : emu::layout::default_regions())
      memory.add(r);
    el3 = std::make_unique<fw::El3Firmware>(std::move(fw_config), memory);
    emu::TrapHandler* el1_target = el3.get();
    if (config.pkvm) {
      pkvm.emplace(pkvm::PkvmConfig{config.page_size}, *el3, memory);
      hyp.emplace(*pkvm);
      el1_target = &*pkvm;
    }
    smc = std::make_unique<TrapConduit>(*el1_target, emu::ConduitKind::Smc);
    hvc = std::make_unique<TrapConduit>(*el1_target, emu::ConduitKind::Hvc);
    kernel =
        std::make_unique<Kernel>(config, KernelDeps{*smc, *hvc, memory, hyp ? &*hyp : nullptr});
  }
  const BootResult& boot() { return kernel->boot(); }
  [[nodiscard]] bool logged(const std::string& text) const {
    for (const LogLine& l : kernel->log()) {
      if (l.text == text) return true;
    }
    return false;
  }

  KernelConfig config;
  emu::RegionMemory memory;
  std::unique_ptr<fw::El3Firmware> el3;
  std::optional<pkvm::Pkvm> pkvm;
  std::optional<PkvmHypervisor> hyp;
  std::unique_ptr<TrapConduit> smc;
  std::unique_ptr<TrapConduit> hvc;
  std::unique_ptr<Kernel> kernel;
};

}  // namespace ffaemu::lnx::test
