// The Linux boot model: setup_arch (PSCI/SMCCC discovery), driver_init, then do_initcalls level by
// level in link order with the FF-A core variant, KVM, deferred probing, tpm_crb_ffa and IMA as
// built-in initcalls. boot() returns what happened; nothing in it is decided in advance.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/linux/arm_ffa/variants.h"
#include "ffa_core/linux/clients/ima.h"
#include "ffa_core/linux/clients/tpm_crb_ffa.h"
#include "ffa_core/linux/config.h"
#include "ffa_core/linux/driver_core/platform.h"
#include "ffa_core/linux/initcalls.h"
#include "ffa_core/linux/kvm/kvm.h"
#include "ffa_core/linux/mm/page_alloc.h"
#include "ffa_core/linux/printk.h"
#include "ffa_core/linux/smccc/psci.h"

namespace ffaemu::lnx {

enum class TpmState : uint8_t { Bound, Missing, Failed };
enum class ImaState : uint8_t { Tpm, Bypass, Failed };
[[nodiscard]] std::string_view tpm_state_name(TpmState state);  // "bound", "missing", "failed"
[[nodiscard]] std::string_view ima_state_name(ImaState state);  // "tpm", "bypass", "failed"

// The outcome of one boot (architecture.md "run --json" outcome and initcalls).
struct BootResult {
  bool ffa_ready = false;
  std::optional<std::string> ready_at;  // initcall level name of the successful bring-up
  std::optional<int> probe_error;       // the core's last probe, if it failed
  int partitions = 0;                   // partition devices registered from discovery
  TpmState tpm = TpmState::Missing;
  ImaState ima = ImaState::Bypass;
  std::optional<std::string> panic;       // why the boot died, when it did
  std::vector<InitcallRecord> initcalls;  // in run order
};

// What the kernel runs on: the guest's smc and hvc conduits, guest memory (host-ram holds the
// kernel's pages), and EL2 when `pkvm on` (required then, and must be null with pkvm off).
struct KernelDeps {
  emu::Conduit& smc;
  emu::Conduit& hvc;
  emu::GuestMemory& memory;
  Hypervisor* hypervisor = nullptr;
  uint64_t ram_base = 0x80000000;  // emu::layout::kHostRamBase
  uint64_t ram_size = 0x400000;
};

class Kernel {
 public:
  // Throws std::invalid_argument when the hypervisor does not match config.pkvm.
  Kernel(KernelConfig config, KernelDeps deps, BootObserver* observer = nullptr);
  Kernel(const Kernel&) = delete;
  Kernel& operator=(const Kernel&) = delete;

  // Runs the boot once; later calls return the same result.
  const BootResult& boot();
  // The CPU took an exception the kernel cannot handle in the middle of boot() (an smc/hvc that
  // is UNDEFINED here): die() then panic(). Returns the result as far as the boot got.
  const BootResult& panic(std::string_view oops);
  // module_exit(ffa_exit) of the variant: the FF-A core's remove path.
  void ffa_exit();

  [[nodiscard]] const BootResult& result() const { return result_; }
  [[nodiscard]] const std::vector<LogLine>& log() const { return printk_.lines(); }
  [[nodiscard]] const std::vector<BootEvent>& events() const { return printk_.events(); }
  [[nodiscard]] const KernelConfig& config() const { return config_; }

  // Introspection for tests and traces.
  [[nodiscard]] FfaCore& ffa_core() { return variant_->core(); }
  [[nodiscard]] const DriverCore& driver_core() const { return driver_core_; }
  [[nodiscard]] PageAllocator& pages() { return pages_; }
  [[nodiscard]] const Smccc& smccc() const { return smccc_; }
  [[nodiscard]] const TpmCrbFfa& tpm() const { return tpm_; }
  [[nodiscard]] const Ima& ima() const { return ima_; }

 private:
  void do_initcalls();
  void collect_result();

  KernelConfig config_;
  Conduits conduits_;
  emu::GuestMemory& memory_;
  Printk printk_;
  DriverCore driver_core_;
  PlatformBus platform_bus_;
  FfaBus ffa_bus_;
  Smccc smccc_;
  PageAllocator pages_;
  Kvm kvm_;
  FfaEnv ffa_env_;
  std::unique_ptr<FfaCoreVariant> variant_;
  TpmCrbFfa tpm_;
  Ima ima_;
  InitcallTable initcalls_;
  BootResult result_;
  bool booted_ = false;
};

}  // namespace ffaemu::lnx
