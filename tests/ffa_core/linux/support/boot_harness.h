// One boot of the model against FakeFirmware: the config to vary, the kernel, and log helpers.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ffa_core/linux/kernel.h"
#include "ffa_core/linux/support/fake_firmware.h"

namespace ffaemu::lnx::test {

struct Boot {
  FakeFirmware fw;
  FakeConduit smc{fw, emu::ConduitKind::Smc};
  FakeConduit hvc{fw, emu::ConduitKind::Hvc};
  FakeHypervisor hyp;
  KernelConfig config;
  std::unique_ptr<Kernel> kernel;

  Boot(FfaVariant variant, bool pkvm) {
    config.driver = variant;
    config.pkvm = pkvm;
  }
  Kernel& make() {
    kernel = std::make_unique<Kernel>(
        config, KernelDeps{smc, hvc, fw.memory, config.pkvm ? &hyp : nullptr});
    return *kernel;
  }
  const BootResult& run() { return make().boot(); }

  [[nodiscard]] bool logged(const std::string& text) const {
    for (const LogLine& l : kernel->log()) {
      if (l.text == text) return true;
    }
    return false;
  }
  [[nodiscard]] std::optional<int> initcall_ret(const std::string& name) const {
    for (const InitcallRecord& r : kernel->result().initcalls) {
      if (r.name == name) return r.ret;
    }
    return std::nullopt;
  }
  // The FF-A call IDs the firmware saw, without the three PSCI/SMCCC discovery calls.
  [[nodiscard]] std::vector<uint64_t> ffa_ids() const {
    std::vector<uint64_t> ids = fw.ids();
    ids.erase(ids.begin(), ids.begin() + std::min<size_t>(3, ids.size()));
    return ids;
  }
};

}  // namespace ffaemu::lnx::test
