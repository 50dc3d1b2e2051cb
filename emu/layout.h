// The default guest physical memory map. The exit address sits in an unmapped hole whose previous
// byte is unmapped too: Unicorn 2.0.1 invalidates translated code around `until - 1` after every
// run, and a mapped byte there costs 11x per call (emulation-tech.md section 2.1).
#pragma once

#include <cstdint>
#include <vector>

#include "emu/memory.h"

namespace ffaemu::emu::layout {

inline constexpr uint64_t kExitAddress = 0x0fff0000;

inline constexpr uint64_t kCodeBase = 0x40000000;
inline constexpr uint64_t kCodeSize = 0x10000;
inline constexpr uint64_t kDataBase = 0x40100000;
inline constexpr uint64_t kDataSize = 0x10000;
inline constexpr uint64_t kStackBase = 0x40200000;
inline constexpr uint64_t kStackSize = 0x10000;
inline constexpr uint64_t kHostRamBase = 0x80000000;
inline constexpr uint64_t kHostRamSize = 0x400000;  // 4 MiB: room for 64 KiB-granule buffers
inline constexpr uint64_t kHypRamBase = 0x90000000;
inline constexpr uint64_t kHypRamSize = 0x100000;
inline constexpr uint64_t kSecureRamBase = 0x0e000000;
inline constexpr uint64_t kSecureRamSize = 0x100000;

// code (RX), data (RW), stack (RW), host-ram (RW) at EL1; hyp-ram and secure-ram for models only.
std::vector<RegionSpec> default_regions();

}  // namespace ffaemu::emu::layout
