// The five ways the FF-A core reaches its bring-up (config.h FfaVariant): which initcalls they
// register, at which level, through which driver-model path, with which pKVM gate and which
// generation of driver.c (linux-ffa-pkvm.md sections 3.1, 5, 7).
#pragma once

#include <memory>
#include <optional>

#include "ffa_core/linux/arm_ffa/driver.h"
#include "ffa_core/linux/driver_core/platform.h"
#include "ffa_core/linux/initcalls.h"
#include "ffa_core/linux/kvm/kvm.h"

namespace ffaemu::lnx {

class FfaCoreVariant {
 public:
  virtual ~FfaCoreVariant() = default;
  // arm_ffa_bus_init (subsys_initcall, bus.o) and the core's own initcall.
  virtual void register_initcalls(InitcallTable& table) = 0;
  // The last result of the core's probe as the driver core saw it (after platform_probe's
  // rewrite), or ffa_init's return where the core is not a driver (A/B); nullopt if never run.
  [[nodiscard]] virtual std::optional<int> last_probe() const = 0;
  // module_exit(ffa_exit): the remove path of each generation.
  virtual void ffa_exit() = 0;
  [[nodiscard]] virtual FfaCore& core() = 0;
};

[[nodiscard]] std::unique_ptr<FfaCoreVariant> make_ffa_variant(FfaVariant variant,
                                                               const FfaEnv& env,
                                                               PlatformBus& platform_bus,
                                                               const Kvm& kvm);

}  // namespace ffaemu::lnx
