#include "ffa_core/linux/arm_ffa/variants.h"

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

constexpr const char* kBusObject = "drivers/firmware/arm_ffa/bus.o";
constexpr const char* kDriverObject = "drivers/firmware/arm_ffa/driver.o";
constexpr const char* kFfaPlatformName = "arm-ffa";

Initcall arm_ffa_bus_init(const FfaEnv& env, std::function<int()> extra = nullptr) {
  return {InitcallLevel::Subsys, kBusObject, "arm_ffa_bus_init", [&env, extra] {
            const int ret = env.core.bus_register(env.bus);
            return ret || !extra ? ret : extra();
          }};
}

// Trees A and B: ffa_init does the bring-up itself, at device_initcall or rootfs_initcall.
class InitcallCore final : public FfaCoreVariant {
 public:
  InitcallCore(FfaTree tree, InitcallLevel level, const FfaEnv& env)
      : env_(env), core_(tree, env), level_(level) {}

  void register_initcalls(InitcallTable& table) override {
    table.add(arm_ffa_bus_init(env_));
    table.add({level_, kDriverObject, "ffa_init", [this] { return ffa_init(); }});
  }
  [[nodiscard]] std::optional<int> last_probe() const override { return last_; }
  void ffa_exit() override {
    if (core_.up()) core_.remove();
  }
  [[nodiscard]] FfaCore& core() override { return core_; }

 private:
  int ffa_init() {
    int ret = core_.ffa_transport_init();
    if (!ret) ret = core_.bring_up(nullptr);
    last_ = ret;
    return ret;
  }

  const FfaEnv& env_;
  FfaCore core_;
  InitcallLevel level_;
  std::optional<int> last_;
};

// RFC v1 (2026-05-05): an "arm-ffa" root device on the FF-A bus from subsys_initcall, and at
// device_initcall a root driver whose probe defers until pKVM is initialised, then runs the
// tree-B bring-up (ffa_core_init) with partitions parented to the root.
class RfcRootDevice final : public FfaCoreVariant {
 public:
  RfcRootDevice(const FfaEnv& env, const Kvm& kvm) : env_(env), kvm_(kvm), core_(FfaTree::B, env) {
    root_.name = kFfaPlatformName;
    root_.root = true;
    root_.bus = &env.bus;
    driver_.name = kFfaPlatformName;
    driver_.fprobe = [this](FfaDevice& dev) { return ffa_probe(dev); };
    driver_.fremove = [this](FfaDevice&) { core_.remove(); };
  }

  void register_initcalls(InitcallTable& table) override {
    table.add(arm_ffa_bus_init(env_, [this] { return env_.core.device_add(root_); }));
    table.add({InitcallLevel::Device, kDriverObject, "ffa_init",
               [this] { return ffa_driver_register(env_.core, env_.bus, driver_); }});
  }
  [[nodiscard]] std::optional<int> last_probe() const override { return driver_.last_probe; }
  void ffa_exit() override { env_.core.driver_unregister(driver_); }
  [[nodiscard]] FfaCore& core() override { return core_; }

 private:
  int ffa_probe(FfaDevice& root) {
    if (kvm_.is_protected_kvm_enabled() && !kvm_.is_pkvm_initialized()) return -kEprobeDefer;
    const int ret = core_.ffa_transport_init();
    return ret ? ret : core_.bring_up(&root);
  }

  const FfaEnv& env_;
  const Kvm& kvm_;
  FfaCore core_;
  FfaDevice root_;
  FfaDriver driver_;
};

// The platform-device variants: ffa_init registers the "arm-ffa" platform device, then either
// platform_driver_probe (Sudeep's review sketch, tree-B body, no -ENODEV mapping) or
// platform_driver_register (the posted series, tree C).
class PlatformCore final : public FfaCoreVariant {
 public:
  PlatformCore(bool sketch, const FfaEnv& env, PlatformBus& bus, const Kvm& kvm)
      : sketch_(sketch),
        env_(env),
        platform_bus_(bus),
        kvm_(kvm),
        core_(sketch ? FfaTree::B : FfaTree::C, env) {
    driver_.name = kFfaPlatformName;
    if (!sketch_) driver_.pprobe = [this](PlatformDevice& pdev) { return ffa_probe(pdev); };
    driver_.premove = [this](PlatformDevice&) { core_.remove(); };
  }

  void register_initcalls(InitcallTable& table) override {
    table.add(arm_ffa_bus_init(env_));
    table.add({InitcallLevel::Device, kDriverObject, "ffa_init", [this] { return ffa_init(); }});
  }
  [[nodiscard]] std::optional<int> last_probe() const override { return driver_.last_probe; }
  void ffa_exit() override {
    if (pdev_ && pdev_->registered) platform_device_unregister(env_.core, *pdev_);
    if (driver_.registered) platform_driver_unregister(env_.core, driver_);
  }
  [[nodiscard]] FfaCore& core() override { return core_; }

 private:
  int ffa_init() {
    pdev_ = platform_device_register_simple(env_.core, platform_bus_, kFfaPlatformName);
    if (!sketch_) return platform_driver_register(env_.core, platform_bus_, driver_);
    const int ret = platform_driver_probe(env_.core, platform_bus_, driver_,
                                          [this](PlatformDevice& pdev) { return ffa_probe(pdev); });
    if (ret) platform_device_unregister(env_.core, *pdev_);
    return ret;
  }

  // The sketch's gate has no IS_BUILTIN guard; the posted one has, and the core is built in.
  int ffa_probe(PlatformDevice& pdev) {
    if (kvm_.is_protected_kvm_enabled() && !kvm_.is_pkvm_initialized()) return -kEprobeDefer;
    int ret = core_.ffa_transport_init();
    if (ret) return !sketch_ && ret == -kEopnotsupp ? -kEnodev : ret;
    return core_.bring_up(&pdev);
  }

  bool sketch_;
  const FfaEnv& env_;
  PlatformBus& platform_bus_;
  const Kvm& kvm_;
  FfaCore core_;
  PlatformDriver driver_;
  std::unique_ptr<PlatformDevice> pdev_;
};

}  // namespace

std::unique_ptr<FfaCoreVariant> make_ffa_variant(FfaVariant variant, const FfaEnv& env,
                                                 PlatformBus& platform_bus, const Kvm& kvm) {
  switch (variant) {
    case FfaVariant::ModuleInit:
      return std::make_unique<InitcallCore>(FfaTree::A, InitcallLevel::Device, env);
    case FfaVariant::RootfsInitcall:
      return std::make_unique<InitcallCore>(FfaTree::B, InitcallLevel::Rootfs, env);
    case FfaVariant::RfcRootDevice:
      return std::make_unique<RfcRootDevice>(env, kvm);
    case FfaVariant::PlatformDriverProbe:
      return std::make_unique<PlatformCore>(true, env, platform_bus, kvm);
    case FfaVariant::PlatformDriver:
      return std::make_unique<PlatformCore>(false, env, platform_bus, kvm);
  }
  return nullptr;
}

}  // namespace ffaemu::lnx
