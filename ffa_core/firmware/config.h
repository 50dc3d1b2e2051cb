// What the secure side looks like in one scenario: SMCCC version, SPMC persona, the FF-A version
// the SPMC implements, the RX/TX minimum granule, and the partitions (architecture.md "System
// options").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ffa_core/abi/ffa.h"
#include "ffa_core/abi/tpm_crb.h"
#include "ffa_core/abi/uuid.h"

namespace ffaemu::fw {

using ffa::Uuid;

// "hafnium": Hafnium at S-EL2 behind TF-A's SPMD; "tf-a-el3": TF-A's EL3 SPMC (spmc_main.c).
enum class SpmcPersona : uint8_t { Hafnium, TfaEl3 };

// What SMCCC_VERSION answers. 1.0 means SMCCC_VERSION and SMCCC_ARCH_FEATURES are unknown.
struct SmcccVersion {
  uint16_t major = 1;
  uint16_t minor = 2;
  [[nodiscard]] constexpr uint32_t raw() const { return (uint32_t{major} << 16) | minor; }
  [[nodiscard]] constexpr bool at_least(uint16_t ma, uint16_t mi) const {
    return major > ma || (major == ma && minor >= mi);
  }
  friend constexpr bool operator==(SmcccVersion, SmcccVersion) = default;
};

// Partition properties, DEN0077 table 6.2 (v1.2 numbering; Linux FFA_PARTITION_*).
namespace props {
inline constexpr uint32_t kDirectReqRecv = 1u << 0;
inline constexpr uint32_t kDirectReqSend = 1u << 1;
inline constexpr uint32_t kIndirectMsg = 1u << 2;
inline constexpr uint32_t kNotificationRecv = 1u << 3;
inline constexpr uint32_t kAarch64 = 1u << 8;
inline constexpr uint32_t kDirectReq2Recv = 1u << 9;
inline constexpr uint32_t kDirectReq2Send = 1u << 10;
inline constexpr uint32_t kV1_0Mask = 0x7;    // bits 31:3 MBZ for v1.0 callers (HF, TF-A)
inline constexpr uint32_t kV1_1Mask = 0x1ff;  // bits 31:9 reserved in v1.1
}  // namespace props

struct PartitionConfig {
  ffa::EndpointId id;
  Uuid uuid;
  uint16_t exec_contexts = 1;
  uint32_t properties = 0;
  std::string service;  // "tpm" or "echo"
};

std::vector<PartitionConfig> default_partitions();

struct FirmwareConfig {
  SmcccVersion smccc;
  SpmcPersona spmc = SpmcPersona::Hafnium;
  ffa::FfaVersion ffa_version = ffa::kV1_2;
  uint32_t rxtx_min_bytes = 4096;  // 4K, 16K or 64K
  std::vector<PartitionConfig> partitions = default_partitions();
};

// The fTPM UUID Linux's tpm_crb_ffa binds to (drivers/char/tpm/tpm_crb_ffa.c).
inline constexpr std::string_view kTpmUuid = ffa::crb::kUuid;

// Option parsing for the CLI and scenarios; names round-trip.
[[nodiscard]] std::optional<SpmcPersona> parse_persona(std::string_view text);
[[nodiscard]] std::string_view persona_name(SpmcPersona persona);
[[nodiscard]] std::optional<SmcccVersion> parse_smccc_version(std::string_view text);  // 1.0..1.5
[[nodiscard]] std::string smccc_version_name(SmcccVersion v);
[[nodiscard]] std::optional<ffa::FfaVersion> parse_ffa_version(std::string_view text);  // 1.0..1.2
[[nodiscard]] std::string ffa_version_name(ffa::FfaVersion v);
[[nodiscard]] std::optional<uint32_t> parse_rxtx_min(std::string_view text);  // 4k, 16k, 64k
[[nodiscard]] std::string rxtx_min_name(uint32_t bytes);

}  // namespace ffaemu::fw
