// The system options the Linux boot model consumes (architecture.md "System options"): PSCI
// conduit, kvm-arm.mode=protected, the FF-A core variant, link order, PAGE_SIZE and IMA's retry.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "emu/smccc.h"

namespace ffaemu::lnx {

// The five FF-A core variants of the 2025-2026 threads (linux-ffa-pkvm.md sections 3.1, 7.1).
enum class FfaVariant : uint8_t {
  ModuleInit,      // tree A: module_init(ffa_init), v6.13-era
  RootfsInitcall,  // tree B: rootfs_initcall(ffa_init), mainline since 0e0546eabcd6
  RfcRootDevice,   // RFC v1 (2026-05-05): "arm-ffa" root device on the FF-A bus, deferring probe
  PlatformDriverProbe,  // Sudeep's review sketch: platform_driver_probe(&ffa_driver, ffa_probe)
  PlatformDriver,       // posted series (tree C): platform_driver_register, IS_BUILTIN pKVM gate
};

// Order of arch/ and drivers/ inside one initcall level (top-level Kbuild descends arch/ first).
enum class LinkOrder : uint8_t { ArchFirst, DriversFirst };

// IMA's late init only, or with RFC v3's retry at late_initcall_sync.
enum class ImaMode : uint8_t { Late, LateSyncRetry };

struct KernelConfig {
  emu::ConduitKind conduit = emu::ConduitKind::Smc;  // DT /psci "method"
  bool pkvm = true;                                  // kvm-arm.mode=protected
  FfaVariant driver = FfaVariant::PlatformDriver;
  LinkOrder link_order = LinkOrder::ArchFirst;
  uint64_t page_size = 4096;  // PAGE_SIZE: 4K, 16K or 64K
  ImaMode ima = ImaMode::Late;
  // driver_deferred_probe_timeout in seconds: 10 with CONFIG_MODULES (drivers/base/dd.c), 0 = off.
  int deferred_probe_timeout = 10;
  unsigned nr_cpu_ids = 1;  // the emulator runs one vCPU
};

[[nodiscard]] std::optional<FfaVariant> parse_variant(std::string_view text);
[[nodiscard]] std::string_view variant_name(FfaVariant variant);
[[nodiscard]] std::optional<LinkOrder> parse_link_order(std::string_view text);
[[nodiscard]] std::string_view link_order_name(LinkOrder order);
[[nodiscard]] std::optional<ImaMode> parse_ima_mode(std::string_view text);
[[nodiscard]] std::string_view ima_mode_name(ImaMode mode);
[[nodiscard]] std::optional<uint64_t> parse_page_size(std::string_view text);  // 4k, 16k, 64k
[[nodiscard]] std::string_view page_size_name(uint64_t bytes);
[[nodiscard]] std::optional<emu::ConduitKind> parse_conduit(std::string_view text);  // smc, hvc

}  // namespace ffaemu::lnx
