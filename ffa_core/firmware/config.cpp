#include "ffa_core/firmware/config.h"

namespace ffaemu::fw {

std::vector<PartitionConfig> default_partitions() {
  // The TPM takes v1.0-style direct requests (DEN0138's CRB start method over
  // FFA_MSG_SEND_DIRECT_REQ). A TPM that also advertises REQ2 is its own scenario
  // (scenarios/tpm-req2-under-pkvm.yaml): pKVM refuses REQ2 and tpm_crb_ffa then fails.
  constexpr uint32_t kTpmProps = props::kDirectReqRecv | props::kAarch64;
  constexpr uint32_t kEchoProps = props::kDirectReqRecv | props::kDirectReqSend |
                                  props::kNotificationRecv | props::kAarch64 |
                                  props::kDirectReq2Recv;
  return {
      {ffa::EndpointId{0x8001}, *Uuid::parse(kTpmUuid), 1, kTpmProps, "tpm"},
      {ffa::EndpointId{0x8002}, *Uuid::parse("b4b5671e-4a90-4fe1-b81f-fb13dae1dacb"), 8, kEchoProps,
       "echo"},
  };
}

std::optional<SpmcPersona> parse_persona(std::string_view text) {
  if (text == "hafnium") return SpmcPersona::Hafnium;
  if (text == "tf-a-el3") return SpmcPersona::TfaEl3;
  return std::nullopt;
}

std::string_view persona_name(SpmcPersona persona) {
  return persona == SpmcPersona::Hafnium ? "hafnium" : "tf-a-el3";
}

std::optional<SmcccVersion> parse_smccc_version(std::string_view text) {
  if (text.size() != 3 || text[0] != '1' || text[1] != '.' || text[2] < '0' || text[2] > '5') {
    return std::nullopt;
  }
  return SmcccVersion{1, static_cast<uint16_t>(text[2] - '0')};
}

std::string smccc_version_name(SmcccVersion v) {
  return fmt::format("{}.{}", v.major, v.minor);
}

std::optional<ffa::FfaVersion> parse_ffa_version(std::string_view text) {
  if (text == "1.0") return ffa::kV1_0;
  if (text == "1.1") return ffa::kV1_1;
  if (text == "1.2") return ffa::kV1_2;
  return std::nullopt;
}

std::string ffa_version_name(ffa::FfaVersion v) {
  return fmt::format("{}.{}", v.major(), v.minor());
}

std::optional<uint32_t> parse_rxtx_min(std::string_view text) {
  if (text == "4k") return 4096;
  if (text == "16k") return 16384;
  if (text == "64k") return 65536;
  return std::nullopt;
}

std::string rxtx_min_name(uint32_t bytes) {
  return fmt::format("{}k", bytes / 1024);
}

}  // namespace ffaemu::fw
