// FF-A wire constants and value types (Arm DEN0077 v1.0-v1.2): function IDs, error codes, versions,
// endpoint IDs, and the reply encoders every model shares (Hafnium ffa_error(), TF-A
// spmd_ffa_error_return()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <fmt/format.h>

#include "emu/smccc.h"

namespace ffaemu::ffa {

using emu::FunctionId;
using emu::SmcccRegs;

// Function IDs, DEN0077 table 12.x; names follow Hafnium (SMC64 forms end in _64).
namespace fid {
inline constexpr uint32_t kError = 0x84000060;
inline constexpr uint32_t kSuccess = 0x84000061;
inline constexpr uint32_t kSuccess64 = 0xC4000061;
inline constexpr uint32_t kInterrupt = 0x84000062;
inline constexpr uint32_t kVersion = 0x84000063;
inline constexpr uint32_t kFeatures = 0x84000064;
inline constexpr uint32_t kRxRelease = 0x84000065;
inline constexpr uint32_t kRxTxMap = 0x84000066;
inline constexpr uint32_t kRxTxMap64 = 0xC4000066;
inline constexpr uint32_t kRxTxUnmap = 0x84000067;
inline constexpr uint32_t kPartitionInfoGet = 0x84000068;
inline constexpr uint32_t kIdGet = 0x84000069;
inline constexpr uint32_t kMsgPoll = 0x8400006A;
inline constexpr uint32_t kMsgWait = 0x8400006B;
inline constexpr uint32_t kYield = 0x8400006C;
inline constexpr uint32_t kRun = 0x8400006D;
inline constexpr uint32_t kMsgSend = 0x8400006E;
inline constexpr uint32_t kMsgSendDirectReq = 0x8400006F;
inline constexpr uint32_t kMsgSendDirectReq64 = 0xC400006F;
inline constexpr uint32_t kMsgSendDirectResp = 0x84000070;
inline constexpr uint32_t kMsgSendDirectResp64 = 0xC4000070;
inline constexpr uint32_t kMemDonate = 0x84000071;
inline constexpr uint32_t kMemDonate64 = 0xC4000071;
inline constexpr uint32_t kMemLend = 0x84000072;
inline constexpr uint32_t kMemLend64 = 0xC4000072;
inline constexpr uint32_t kMemShare = 0x84000073;
inline constexpr uint32_t kMemShare64 = 0xC4000073;
inline constexpr uint32_t kMemRetrieveReq = 0x84000074;
inline constexpr uint32_t kMemRetrieveReq64 = 0xC4000074;
inline constexpr uint32_t kMemRetrieveResp = 0x84000075;
inline constexpr uint32_t kMemRelinquish = 0x84000076;
inline constexpr uint32_t kMemReclaim = 0x84000077;
inline constexpr uint32_t kMemOpPause = 0x84000078;
inline constexpr uint32_t kMemOpResume = 0x84000079;
inline constexpr uint32_t kMemFragRx = 0x8400007A;
inline constexpr uint32_t kMemFragTx = 0x8400007B;
inline constexpr uint32_t kNormalWorldResume = 0x8400007C;
inline constexpr uint32_t kNotificationBitmapCreate = 0x8400007D;
inline constexpr uint32_t kNotificationBitmapDestroy = 0x8400007E;
inline constexpr uint32_t kNotificationBind = 0x8400007F;
inline constexpr uint32_t kNotificationUnbind = 0x84000080;
inline constexpr uint32_t kNotificationSet = 0x84000081;
inline constexpr uint32_t kNotificationGet = 0x84000082;
inline constexpr uint32_t kNotificationInfoGet = 0x84000083;
inline constexpr uint32_t kNotificationInfoGet64 = 0xC4000083;
inline constexpr uint32_t kRxAcquire = 0x84000084;
inline constexpr uint32_t kSpmIdGet = 0x84000085;
inline constexpr uint32_t kMsgSend2 = 0x84000086;
inline constexpr uint32_t kSecondaryEpRegister64 = 0xC4000087;
inline constexpr uint32_t kMemPermGet = 0x84000088;
inline constexpr uint32_t kMemPermSet = 0x84000089;
inline constexpr uint32_t kConsoleLog = 0x8400008A;
inline constexpr uint32_t kConsoleLog64 = 0xC400008A;
inline constexpr uint32_t kPartitionInfoGetRegs = 0xC400008B;
inline constexpr uint32_t kEl3IntrHandle = 0x8400008C;
inline constexpr uint32_t kMsgSendDirectReq2 = 0xC400008D;
inline constexpr uint32_t kMsgSendDirectResp2 = 0xC400008E;

// SMCCC architecture and PSCI calls the models answer (DEN0028 table 7-1; PSCI DEN0022).
inline constexpr uint32_t kSmcccVersion = 0x80000000;
inline constexpr uint32_t kSmcccArchFeatures = 0x80000001;
inline constexpr uint32_t kSmcccArchSocId = 0x80000002;
inline constexpr uint32_t kPsciVersion = 0x84000000;
inline constexpr uint32_t kPsciFeatures = 0x8400000A;
}  // namespace fid

// FF-A function numbers live in owner 4 (standard secure), 0x60-0xFF in pKVM's is_ffa_call().
constexpr bool is_ffa_call(FunctionId f) {
  return f.fast() && f.owner() == 4 && f.number() >= 0x60 && f.number() <= 0xff;
}

// Error codes, DEN0077 table 12.2; NO_DATA since v1.1, NOT_READY since v1.2.
enum class FfaError : int32_t {
  NotSupported = -1,
  InvalidParameters = -2,
  NoMemory = -3,
  Busy = -4,
  Interrupted = -5,
  Denied = -6,
  Retry = -7,
  Aborted = -8,
  NoData = -9,
  NotReady = -10,
};

[[nodiscard]] const char* error_name(FfaError e);
// The error named by a 32-bit code, if it is one of the table's.
[[nodiscard]] std::optional<FfaError> error_from_code(uint32_t w2);

// An FF-A version: bit 31 zero, major 30:16, minor 15:0 (DEN0077 section 13.2).
class FfaVersion {
 public:
  constexpr FfaVersion() = default;
  constexpr FfaVersion(uint16_t major, uint16_t minor) : raw_((uint32_t{major} << 16) | minor) {}
  [[nodiscard]] static constexpr FfaVersion from_raw(uint32_t raw) {
    FfaVersion v;
    v.raw_ = raw;
    return v;
  }
  [[nodiscard]] constexpr uint32_t raw() const { return raw_; }
  [[nodiscard]] constexpr bool valid() const { return (raw_ >> 31) == 0; }
  [[nodiscard]] constexpr uint16_t major() const { return (raw_ >> 16) & 0x7fff; }
  [[nodiscard]] constexpr uint16_t minor() const { return raw_ & 0xffff; }
  // DEN0077 13.2.1: same major, and the caller's minor not above the callee's.
  [[nodiscard]] constexpr bool compatible_with_callee(FfaVersion callee) const {
    return major() == callee.major() && minor() <= callee.minor();
  }
  friend constexpr auto operator<=>(FfaVersion, FfaVersion) = default;

 private:
  uint32_t raw_ = 0;
};

inline constexpr FfaVersion kV1_0{1, 0};
inline constexpr FfaVersion kV1_1{1, 1};
inline constexpr FfaVersion kV1_2{1, 2};

// A 16-bit partition/endpoint ID; bit 15 set marks the secure world (DEN0077 section 6.1).
class EndpointId {
 public:
  constexpr EndpointId() = default;
  constexpr explicit EndpointId(uint16_t v) : v_(v) {}
  [[nodiscard]] constexpr uint16_t value() const { return v_; }
  [[nodiscard]] constexpr bool secure() const { return (v_ & 0x8000) != 0; }
  friend constexpr auto operator<=>(EndpointId, EndpointId) = default;

 private:
  uint16_t v_ = 0;
};

// Well-known IDs: the NS physical instance (host kernel or hypervisor), the SPMC, the SPMD.
inline constexpr EndpointId kHostId{0};
inline constexpr EndpointId kSpmcId{0x8000};
inline constexpr EndpointId kSpmdId{0xFFFF};

// Replies. Error and success put 0 in w1 and zero every other register of the reply; each model
// decides how far x8-x17 reach (see the SMCCC version rules in ffa_core/firmware).
[[nodiscard]] SmcccRegs error_reply(FfaError e);
[[nodiscard]] SmcccRegs success_reply(uint64_t w2 = 0, uint64_t w3 = 0);
[[nodiscard]] SmcccRegs success64_reply(uint64_t x2 = 0, uint64_t x3 = 0);
[[nodiscard]] bool is_error(const SmcccRegs& r, FfaError e);
[[nodiscard]] bool is_success(const SmcccRegs& r);

}  // namespace ffaemu::ffa

template <>
struct fmt::formatter<ffaemu::ffa::FfaVersion> : fmt::formatter<std::string_view> {
  auto format(ffaemu::ffa::FfaVersion v, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "v{}.{}", v.major(), v.minor());
  }
};

template <>
struct fmt::formatter<ffaemu::ffa::EndpointId> : fmt::formatter<std::string_view> {
  auto format(ffaemu::ffa::EndpointId id, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "ep:{:#06x}", id.value());
  }
};

template <>
struct fmt::formatter<ffaemu::ffa::FfaError> : fmt::formatter<std::string_view> {
  auto format(ffaemu::ffa::FfaError e, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "{}", ffaemu::ffa::error_name(e));
  }
};
