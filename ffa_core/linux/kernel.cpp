#include "ffa_core/linux/kernel.h"

#include <stdexcept>

#include <fmt/format.h>

namespace ffaemu::lnx {

std::string_view tpm_state_name(TpmState state) {
  switch (state) {
    case TpmState::Bound:
      return "bound";
    case TpmState::Missing:
      return "missing";
    case TpmState::Failed:
      return "failed";
  }
  return "?";
}

std::string_view ima_state_name(ImaState state) {
  switch (state) {
    case ImaState::Tpm:
      return "tpm";
    case ImaState::Bypass:
      return "bypass";
    case ImaState::Failed:
      return "failed";
  }
  return "?";
}

namespace {

const KernelConfig& checked(const KernelConfig& config, const KernelDeps& deps) {
  if (config.pkvm != (deps.hypervisor != nullptr)) {
    throw std::invalid_argument(config.pkvm ? "Kernel: pkvm on needs a Hypervisor"
                                            : "Kernel: pkvm off takes no Hypervisor");
  }
  return config;
}

}  // namespace

Kernel::Kernel(KernelConfig config, KernelDeps deps, BootObserver* observer)
    : config_(checked(config, deps)),
      conduits_{deps.smc, deps.hvc},
      memory_(deps.memory),
      driver_core_(printk_),
      platform_bus_(printk_),
      pages_(deps.ram_base, deps.ram_size, config_.page_size),
      kvm_(deps.hypervisor, smccc_, printk_),
      ffa_env_{printk_, driver_core_, ffa_bus_, smccc_, conduits_, pages_, memory_, config_},
      variant_(make_ffa_variant(config_.driver, ffa_env_, platform_bus_, kvm_)),
      tpm_(variant_->core(), driver_core_, ffa_bus_, printk_),
      ima_(config_.ima, tpm_, printk_) {
  printk_.attach(observer);
  driver_core_.set_deferred_probe_timeout(config_.deferred_probe_timeout);
  variant_->register_initcalls(initcalls_);
  initcalls_.add({InitcallLevel::Device, "arch/arm64/kvm/arm.o", "kvm_arm_init",
                  [this] { return kvm_.kvm_arm_init(); }});
  initcalls_.add({InitcallLevel::DeviceSync, "arch/arm64/kvm/pkvm.o", "finalize_pkvm",
                  [this] { return kvm_.finalize_pkvm(); }});
  initcalls_.add({InitcallLevel::Late, "drivers/base/dd.o", "deferred_probe_initcall",
                  [this] { return driver_core_.deferred_probe_initcall(); }});
  tpm_.register_initcalls(initcalls_);
  ima_.register_initcalls(initcalls_);
}

const BootResult& Kernel::boot() {
  if (booted_) return result_;
  booted_ = true;
  printk_.set_stage("setup_arch");
  const int psci = psci_dt_init(config_.conduit, conduits_, smccc_, printk_);
  printk_.event(BootEventKind::SetupArch, "psci_dt_init", {}, psci);
  driver_core_.bus_register(platform_bus_);  // driver_init -> platform_bus_init
  do_initcalls();
  printk_.set_stage("after_initcalls");
  driver_core_.deferred_probe_timeout_expire();
  collect_result();
  return result_;
}

const BootResult& Kernel::panic(std::string_view oops) {
  printk_.log(LogLevel::Err, fmt::format("Internal error: Oops - {}", oops));
  printk_.log(LogLevel::Err, "Kernel panic - not syncing: Oops: Fatal exception");
  collect_result();
  result_.panic = std::string(oops);
  return result_;
}

// do_initcalls: every level in order, each call in link order, its return value recorded. Once
// deferred probing is enabled, the deferred-probe kworker gets to run between two initcalls.
void Kernel::do_initcalls() {
  for (InitcallLevel level : initcall_levels()) {
    const std::string name(initcall_level_name(level));
    for (const Initcall* call : initcalls_.level(level, config_.link_order)) {
      printk_.set_stage(name);
      printk_.event(BootEventKind::InitcallStart, call->name);
      const int ret = call->fn();
      result_.initcalls.push_back({level, call->name, ret});
      printk_.event(BootEventKind::InitcallEnd, call->name, {}, ret);
      if (driver_core_.deferred_probe_enabled()) driver_core_.flush_deferred_probe_work();
    }
  }
}

void Kernel::collect_result() {
  FfaCore& core = variant_->core();
  result_.ffa_ready = core.up();
  result_.ready_at = core.up() ? core.ready_stage() : std::nullopt;
  const std::optional<int> last = variant_->last_probe();
  result_.probe_error = last && *last != 0 ? last : std::nullopt;
  result_.partitions = core.partition_count();
  switch (tpm_.state()) {
    case TpmCrbFfa::State::Bound:
      result_.tpm = TpmState::Bound;
      break;
    case TpmCrbFfa::State::Failed:
      result_.tpm = TpmState::Failed;
      break;
    case TpmCrbFfa::State::Unprobed:
      result_.tpm = TpmState::Missing;
      break;
  }
  switch (ima_.state()) {
    case Ima::State::Tpm:
      result_.ima = ImaState::Tpm;
      break;
    case Ima::State::Bypass:
      result_.ima = ImaState::Bypass;
      break;
    case Ima::State::Failed:
      result_.ima = ImaState::Failed;
      break;
  }
}

void Kernel::ffa_exit() {
  printk_.set_stage("ffa_exit");
  variant_->ffa_exit();
  collect_result();
}

}  // namespace ffaemu::lnx
