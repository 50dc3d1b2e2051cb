#include "emu/smccc.h"

namespace ffaemu::emu {

std::string owner_name(uint8_t owner, bool fast) {
  if (!fast) return owner <= 1 ? "reserved (Armv7 legacy)" : "Trusted OS (yielding)";
  switch (owner) {
    case 0:
      return "Arm Architecture";
    case 1:
      return "CPU Service";
    case 2:
      return "SiP Service";
    case 3:
      return "OEM Service";
    case 4:
      return "Standard Secure Service";
    case 5:
      return "Standard Hypervisor Service";
    case 6:
      return "Vendor Specific Hypervisor Service";
    case 7:
      return "Vendor Specific EL3 Monitor";
    default:
      break;
  }
  if (owner >= 48 && owner <= 49) return "Trusted Application";
  if (owner >= 50) return "Trusted OS";
  return "reserved";
}

}  // namespace ffaemu::emu
