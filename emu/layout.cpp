#include "emu/layout.h"

namespace ffaemu::emu::layout {

std::vector<RegionSpec> default_regions() {
  return {
      {"code", RegionKind::Code, kCodeBase, kCodeSize, kRead | kExec, true},
      {"data", RegionKind::Data, kDataBase, kDataSize, kRead | kWrite, true},
      {"stack", RegionKind::Stack, kStackBase, kStackSize, kRead | kWrite, true},
      {"host-ram", RegionKind::HostRam, kHostRamBase, kHostRamSize, kRead | kWrite, true},
      {"hyp-ram", RegionKind::HypRam, kHypRamBase, kHypRamSize, kRead | kWrite, false},
      {"secure-ram", RegionKind::SecureRam, kSecureRamBase, kSecureRamSize, kRead | kWrite, false},
  };
}

}  // namespace ffaemu::emu::layout
