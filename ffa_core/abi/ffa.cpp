#include "ffa_core/abi/ffa.h"

namespace ffaemu::ffa {

const char* error_name(FfaError e) {
  switch (e) {
    case FfaError::NotSupported:
      return "NOT_SUPPORTED";
    case FfaError::InvalidParameters:
      return "INVALID_PARAMETERS";
    case FfaError::NoMemory:
      return "NO_MEMORY";
    case FfaError::Busy:
      return "BUSY";
    case FfaError::Interrupted:
      return "INTERRUPTED";
    case FfaError::Denied:
      return "DENIED";
    case FfaError::Retry:
      return "RETRY";
    case FfaError::Aborted:
      return "ABORTED";
    case FfaError::NoData:
      return "NO_DATA";
    case FfaError::NotReady:
      return "NOT_READY";
  }
  return "UNKNOWN_ERROR";
}

std::optional<FfaError> error_from_code(uint32_t w2) {
  auto code = static_cast<int32_t>(w2);
  if (code <= -1 && code >= -10) return static_cast<FfaError>(code);
  return std::nullopt;
}

SmcccRegs error_reply(FfaError e) {
  return emu::regs(fid::kError, 0, static_cast<uint32_t>(static_cast<int32_t>(e)));
}

SmcccRegs success_reply(uint64_t w2, uint64_t w3) {
  return emu::regs(fid::kSuccess, 0, static_cast<uint32_t>(w2), static_cast<uint32_t>(w3));
}

SmcccRegs success64_reply(uint64_t x2, uint64_t x3) {
  return emu::regs(fid::kSuccess64, 0, x2, x3);
}

bool is_error(const SmcccRegs& r, FfaError e) {
  return r.w(0) == fid::kError && r.w(2) == static_cast<uint32_t>(static_cast<int32_t>(e));
}

bool is_success(const SmcccRegs& r) {
  return r.w(0) == fid::kSuccess || r.w(0) == fid::kSuccess64;
}

}  // namespace ffaemu::ffa
