// The TPM Service CRB interface over FF-A (Arm DEN0138), as Linux's tpm_crb_ffa.c and an fTPM
// partition both speak it: the service UUID, function IDs in x4 and status codes.
#pragma once

#include <cstdint>
#include <string_view>

namespace ffaemu::ffa::crb {

// The fTPM service UUID Linux's tpm_crb_ffa binds to.
inline constexpr std::string_view kUuid = "17b862a4-1806-4faf-86b3-089a58353861";

inline constexpr uint32_t kGetInterfaceVersion = 0x0f000001;
inline constexpr uint32_t kGetFeatureInfo = 0x0f000101;
inline constexpr uint32_t kStart = 0x0f000201;

inline constexpr uint32_t kOk = 0x05000001;
inline constexpr uint32_t kOkResultsReturned = 0x05000002;
inline constexpr uint32_t kNoFunc = 0x8e000001;
inline constexpr uint32_t kNotSup = 0x8e000002;
inline constexpr uint32_t kInvArg = 0x8e000005;
inline constexpr uint32_t kInvCrbCtrlData = 0x8e000006;
inline constexpr uint32_t kAlready = 0x8e000009;
inline constexpr uint32_t kDenied = 0x8e00000a;
inline constexpr uint32_t kNoMem = 0x8e00000b;

inline constexpr int kStartTypeCommand = 0;  // CRB_FFA_START_TYPE_COMMAND
inline constexpr int kLocalities = 5;

}  // namespace ffaemu::ffa::crb
