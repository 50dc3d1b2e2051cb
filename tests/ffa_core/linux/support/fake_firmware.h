// A scripted stand-in for everything below EL1, for the boot model's unit tests: answers PSCI,
// SMCCC and FF-A calls from a few knobs, writes partition descriptors into the RX buffer the
// driver mapped, plays a DEN0138 TPM, and records every call with its conduit.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/abi/ffa.h"
#include "ffa_core/abi/uuid.h"
#include "ffa_core/linux/kvm/kvm.h"

namespace ffaemu::lnx::test {

struct FakePartition {
  uint16_t id = 0;
  uint16_t exec_ctxt = 1;
  uint32_t properties = 0;
  ffa::Uuid uuid;
};

inline constexpr uint32_t kTpmProps = (1u << 0) | (1u << 8) | (1u << 9);  // REQ, AArch64, REQ2
inline constexpr uint32_t kEchoProps = (1u << 0) | (1u << 8);

struct FakeCall {
  emu::ConduitKind conduit;
  emu::SmcccRegs in;
  emu::SmcccRegs out;
};

class FakeFirmware {
 public:
  FakeFirmware();

  emu::SmcccRegs handle(emu::ConduitKind conduit, const emu::SmcccRegs& in);

  // Knobs.
  uint32_t psci_version = 0x10001;
  uint32_t smccc_version = 0x10002;  // 0x10000: PSCI_FEATURES(SMCCC_VERSION) is NOT_SUPPORTED
  uint64_t ffa_version = 0x10002;    // what FFA_VERSION returns in x0
  std::optional<ffa::FfaError> id_get_error;
  uint16_t vm_id = 0;
  uint32_t rxtx_features = 0;  // FFA_FEATURES(RXTX_MAP_64) w2; see rxtx_features_error
  std::optional<ffa::FfaError> rxtx_features_error;
  std::function<std::optional<ffa::FfaError>(uint32_t pages)> rxtx_map_result;
  std::set<uint32_t> unsupported_features;  // FFA_FEATURES(id) -> NOT_SUPPORTED
  std::optional<ffa::FfaError> bitmap_create_error;
  bool regs_mode = false;  // FFA_FEATURES(PARTITION_INFO_GET_REGS) succeeds
  uint32_t descriptor_size = 24;
  std::vector<FakePartition> partitions;
  uint32_t tpm_status = 0x05000002;   // GET_INTERFACE_VERSION status
  uint32_t tpm_version = 0x00010000;  // 1.0
  uint32_t tpm_start_status = 0x05000001;
  int direct_yields = 0;  // answer the next N direct requests with FFA_YIELD
  std::function<std::optional<emu::SmcccRegs>(const emu::SmcccRegs&)> hook;  // first say

  // State and journal.
  std::optional<std::pair<uint64_t, uint64_t>> mapped;  // tx, rx
  uint32_t mapped_pages = 0;
  std::vector<FakeCall> calls;
  [[nodiscard]] std::vector<uint64_t> ids() const;
  [[nodiscard]] int count(uint64_t id) const;
  emu::RegionMemory memory;

 private:
  emu::SmcccRegs ffa(const emu::SmcccRegs& in);
  emu::SmcccRegs partition_info_get(const emu::SmcccRegs& in);
  emu::SmcccRegs partition_info_get_regs(const emu::SmcccRegs& in);
  emu::SmcccRegs direct(const emu::SmcccRegs& in);
  [[nodiscard]] std::vector<FakePartition> matching(const ffa::Uuid& uuid) const;
  uint64_t pending_func_ = 0;
  uint32_t pending_resp_ = 0;
};

class FakeConduit final : public emu::Conduit {
 public:
  FakeConduit(FakeFirmware& fw, emu::ConduitKind kind) : fw_(fw), kind_(kind) {}
  [[nodiscard]] emu::ConduitKind kind() const override { return kind_; }
  emu::SmcccRegs invoke(emu::SmcccRegs in) override { return fw_.handle(kind_, in); }

 private:
  FakeFirmware& fw_;
  emu::ConduitKind kind_;
};

// pKVM's lifecycle without its proxy: install and finalise succeed unless told otherwise.
class FakeHypervisor final : public Hypervisor {
 public:
  int kvm_arm_init(uint32_t smccc_version) override {
    seen_smccc = smccc_version;
    installed = init_result == 0;
    return init_result;
  }
  int finalize_pkvm() override {
    initialized = true;
    return finalize_result;
  }
  [[nodiscard]] bool is_pkvm_initialized() const override { return initialized; }

  int init_result = 0;
  int finalize_result = 0;
  uint32_t seen_smccc = 0;
  bool installed = false;
  bool initialized = false;
};

[[nodiscard]] ffa::Uuid tpm_uuid();
[[nodiscard]] ffa::Uuid echo_uuid();
// The default secure world: the fTPM (0x8001) and an echo partition (0x8002).
[[nodiscard]] std::vector<FakePartition> default_partitions();

}  // namespace ffaemu::lnx::test
