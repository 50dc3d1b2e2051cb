// Configuration of the pKVM model: the kernel's PAGE_SIZE, the host's PSCI version, and where in
// EL2-private memory the FF-A proxy pages reserved by kvm_hyp_reserve() (arch/arm64/kvm/pkvm.c)
// sit.
#pragma once

#include <cstdint>

#include "emu/layout.h"

namespace ffaemu::pkvm {

struct PkvmConfig {
  uint64_t page_size = 4096;  // kernel PAGE_SIZE: 4K/16K/64K
  // kvm_host_psci_config.version (PSCI_VERSION encoding, major << 16 | minor); 0.2 or later.
  uint32_t psci_version = 0x10001;
  // Base of the hyp_ffa_proxy_pages() pages handed to hyp_ffa_init(); must lie in hyp-ram.
  uint64_t ffa_proxy_pages = emu::layout::kHypRamBase;
};

// The address reported as the pc of the smc pKVM issues itself (its hyp text is not emulated).
inline constexpr uint64_t kHypSmcPc = emu::layout::kHypRamBase + emu::layout::kHypRamSize - 4;

// Linux errno values pKVM returns (include/uapi/asm-generic/errno-base.h, errno.h).
inline constexpr int kEperm = 1;
inline constexpr int kEbusy = 16;
inline constexpr int kEinval = 22;
inline constexpr int kEopnotsupp = 95;

}  // namespace ffaemu::pkvm
