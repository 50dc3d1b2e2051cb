#include "ffa_core/linux/support/fake_firmware.h"

#include <algorithm>

#include "emu/layout.h"

namespace ffaemu::lnx::test {
namespace {

namespace fid = ffa::fid;

emu::SmcccRegs err(ffa::FfaError e) {
  return emu::regs(fid::kError, 0, static_cast<uint64_t>(static_cast<int64_t>(e)));
}

}  // namespace

ffa::Uuid tpm_uuid() {
  return *ffa::Uuid::parse("17b862a4-1806-4faf-86b3-089a58353861");
}
ffa::Uuid echo_uuid() {
  return *ffa::Uuid::parse("b4b5671e-4a90-4fe1-b81f-fb13dae1dacb");
}

std::vector<FakePartition> default_partitions() {
  return {{0x8001, 1, kTpmProps, tpm_uuid()}, {0x8002, 8, kEchoProps, echo_uuid()}};
}

FakeFirmware::FakeFirmware() : partitions(default_partitions()) {
  memory.add(
      {"host-ram", emu::RegionKind::HostRam, emu::layout::kHostRamBase, emu::layout::kHostRamSize});
}

std::vector<uint64_t> FakeFirmware::ids() const {
  std::vector<uint64_t> out;
  for (const FakeCall& c : calls)
    out.push_back(c.in.x[0]);
  return out;
}

int FakeFirmware::count(uint64_t id) const {
  return static_cast<int>(std::count_if(calls.begin(), calls.end(),
                                        [id](const FakeCall& c) { return c.in.x[0] == id; }));
}

emu::SmcccRegs FakeFirmware::handle(emu::ConduitKind conduit, const emu::SmcccRegs& in) {
  emu::SmcccRegs out;
  std::optional<emu::SmcccRegs> hooked = hook ? hook(in) : std::nullopt;
  if (hooked) {
    out = *hooked;
  } else if (in.x[0] == fid::kPsciVersion) {
    out = emu::regs(psci_version);
  } else if (in.x[0] == fid::kPsciFeatures) {
    out = emu::regs(smccc_version > 0x10000 ? 0 : emu::kSmcUnknown);
  } else if (in.x[0] == fid::kSmcccVersion) {
    out = emu::regs(smccc_version);
  } else {
    out = ffa(in);
  }
  calls.push_back({conduit, in, out});
  return out;
}

std::vector<FakePartition> FakeFirmware::matching(const ffa::Uuid& uuid) const {
  std::vector<FakePartition> out;
  for (const FakePartition& p : partitions) {
    if (uuid.nil() || p.uuid == uuid) out.push_back(p);
  }
  return out;
}

emu::SmcccRegs FakeFirmware::ffa(const emu::SmcccRegs& in) {
  switch (in.w(0)) {
    case fid::kVersion:
      return emu::regs(ffa_version);
    case fid::kIdGet:
      return id_get_error ? err(*id_get_error) : emu::regs(fid::kSuccess, 0, vm_id);
    case fid::kFeatures: {
      const uint32_t id = in.w(1);
      if (unsupported_features.count(id)) return err(ffa::FfaError::NotSupported);
      if (id == fid::kRxTxMap64) {
        return rxtx_features_error ? err(*rxtx_features_error)
                                   : emu::regs(fid::kSuccess, 0, rxtx_features);
      }
      if (id == fid::kPartitionInfoGetRegs && !regs_mode) return err(ffa::FfaError::NotSupported);
      return emu::regs(fid::kSuccess, 0, id == 1 || id == 2 ? 8 : 0);
    }
    case fid::kRxTxMap64: {
      const auto pages = in.w(3);
      if (rxtx_map_result) {
        if (auto e = rxtx_map_result(pages)) return err(*e);
      }
      mapped = {{in.x[1], in.x[2]}};
      mapped_pages = pages;
      return emu::regs(fid::kSuccess);
    }
    case fid::kRxTxUnmap:
      mapped.reset();
      return emu::regs(fid::kSuccess);
    case fid::kRxRelease:
      return emu::regs(fid::kSuccess);
    case fid::kNotificationBitmapCreate:
      return bitmap_create_error ? err(*bitmap_create_error) : emu::regs(fid::kSuccess);
    case fid::kNotificationBitmapDestroy:
      return emu::regs(fid::kSuccess);
    case fid::kPartitionInfoGet:
      return partition_info_get(in);
    case fid::kPartitionInfoGetRegs:
      return partition_info_get_regs(in);
    case fid::kMsgSendDirectReq:
    case fid::kMsgSendDirectReq64:
    case fid::kMsgSendDirectReq2:
    case fid::kRun:
      return direct(in);
    default:
      return err(ffa::FfaError::NotSupported);
  }
}

emu::SmcccRegs FakeFirmware::partition_info_get(const emu::SmcccRegs& in) {
  const auto found = matching(ffa::Uuid::from_words(in.w(1), in.w(2), in.w(3), in.w(4)));
  if (found.empty()) return err(ffa::FfaError::InvalidParameters);
  if (in.w(5) & 1) return emu::regs(fid::kSuccess, 0, found.size(), descriptor_size);
  for (size_t i = 0; i < found.size(); ++i) {
    const emu::PhysAddr at{mapped->second + i * descriptor_size};
    memory.write_u32(at, uint32_t{found[i].id} | uint32_t{found[i].exec_ctxt} << 16);
    memory.write_u32(at + 4, found[i].properties);
    if (descriptor_size >= 24) {
      const auto& b = found[i].uuid.bytes();
      memory.write(at + 8, std::span<const uint8_t>(b.data(), b.size()));
    }
  }
  return emu::regs(fid::kSuccess, 0, found.size(), descriptor_size);
}

emu::SmcccRegs FakeFirmware::partition_info_get_regs(const emu::SmcccRegs& in) {
  const auto found = matching(ffa::Uuid::from_halves(in.x[1], in.x[2]));
  if (found.empty()) return err(ffa::FfaError::InvalidParameters);
  const uint64_t start = in.x[3] & 0xffff;
  const uint64_t last = found.size() - 1;
  const uint64_t cur = std::min<uint64_t>(last, start + 4);  // at most 5 descriptors a call
  emu::SmcccRegs out =
      emu::regs(fid::kSuccess64, 0, last | cur << 16 | uint64_t{0x24} << 32 | uint64_t{24} << 48);
  for (uint64_t i = start; i <= cur; ++i) {
    const int reg = 3 + static_cast<int>(i - start) * 3;
    const FakePartition& p = found[i];
    out.x[reg] = p.id | uint64_t{p.exec_ctxt} << 16 | uint64_t{p.properties} << 32;
    out.x[reg + 1] = p.uuid.lo();
    out.x[reg + 2] = p.uuid.hi();
  }
  return out;
}

// The TPM service: function ID in x4, status back in x4 and the version in x5.
// FFA_YIELD answers carry the partition in a1; FFA_RUN resumes the pending request.
emu::SmcccRegs FakeFirmware::direct(const emu::SmcccRegs& in) {
  if (in.w(0) != fid::kRun) {
    pending_func_ = in.x[4];
    pending_resp_ = in.w(0) == fid::kMsgSendDirectReq2  ? fid::kMsgSendDirectResp2
                    : in.w(0) == fid::kMsgSendDirectReq ? fid::kMsgSendDirectResp
                                                        : fid::kMsgSendDirectResp64;
  }
  if (direct_yields > 0) {
    --direct_yields;
    return emu::regs(fid::kYield, 0x8001);
  }
  emu::SmcccRegs out = emu::regs(pending_resp_, 0x80010000);
  if (pending_func_ == 0x0f000001) {
    out.x[4] = tpm_status;
    out.x[5] = tpm_version;
  } else {
    out.x[4] = tpm_start_status;
  }
  return out;
}

}  // namespace ffaemu::lnx::test
