// FFA_PARTITION_INFO_GET and FFA_PARTITION_INFO_GET_REGS (DEN0077 v1.2 sections 13.7-13.8): Hafnium
// api_ffa_partition_info_get(_regs) and send_versioned_partition_info_descriptors, TF-A el3_spmc
// partition_info_get_handler. v1.0 callers get 8-byte descriptors, later callers 24-byte ones
// (the v1.2 layout; HF's 48-byte v1.3 draft layout is not modelled).
#include <algorithm>
#include <cstring>
#include <vector>

#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

constexpr uint32_t kDescriptorV1_0 = 8;
constexpr uint32_t kDescriptorV1_1 = 24;
constexpr uint32_t kCountOnlyFlag = 1;
constexpr uint16_t kRegsEntriesPerCall = 5;  // HF MAX_INFO_REGS_ENTRIES_PER_CALL (v1.2 layout)

struct PartitionInfoGetCall {
  ffa::Uuid uuid;
  uint64_t flags;
};

// TF-A reads the flags from x5 whole; Hafnium from w5.
PartitionInfoGetCall decode_get(const SmcccRegs& in, bool hafnium) {
  return {ffa::Uuid::from_words(in.w(1), in.w(2), in.w(3), in.w(4)), hafnium ? in.w(5) : in.x[5]};
}

struct PartitionInfoGetRegsCall {
  ffa::Uuid uuid;
  uint16_t start_index;
  uint16_t tag;
};

PartitionInfoGetRegsCall decode_regs(const SmcccRegs& in) {
  return {ffa::Uuid::from_halves(in.x[1], in.x[2]), static_cast<uint16_t>(in.x[3] & 0xffff),
          static_cast<uint16_t>((in.x[3] >> 16) & 0xffff)};
}

void put16(std::vector<uint8_t>& b, size_t at, uint16_t v) {
  std::memcpy(&b[at], &v, 2);
}
void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  std::memcpy(&b[at], &v, 4);
}

}  // namespace

std::vector<const Partition*> Spmc::match(const ffa::Uuid& uuid) const {
  std::vector<const Partition*> found;
  for (const Partition& p : partitions_) {
    if (uuid.nil() || p.config.uuid == uuid) found.push_back(&p);
  }
  return found;
}

Reply Spmc::partition_info_get(const SmcccRegs& in) {
  const PartitionInfoGetCall call = decode_get(in, hafnium());
  if (hafnium() && (call.flags & ~uint64_t{kCountOnlyFlag}) != 0) {
    note(fmt::format("FFA_PARTITION_INFO_GET: flags {:#x} has bits 31:1 set", call.flags));
    return ffa_error(FfaError::InvalidParameters);
  }
  const std::vector<const Partition*> found = match(call.uuid);
  if (found.empty()) {
    note(fmt::format("FFA_PARTITION_INFO_GET: no partition has UUID {}", call.uuid));
    return ffa_error(FfaError::InvalidParameters);
  }
  if ((call.flags & kCountOnlyFlag) != 0) {
    return ret(hafnium() ? 8 : 4, ffa::success_reply(found.size()));
  }
  return write_partition_descriptors(found, call.uuid.nil());
}

// Descriptors into the caller's RX buffer, which passes to the caller (RX state FULL); the rest
// of the buffer is zeroed as both implementations do.
Reply Spmc::write_partition_descriptors(const std::vector<const Partition*>& found, bool nil_uuid) {
  if (!ns_.rxtx || ns_.rx_state != RxState::Empty) {
    note(ns_.rxtx ? "FFA_PARTITION_INFO_GET: the RX buffer is not free"
                  : "FFA_PARTITION_INFO_GET: no RX buffer is mapped");
    return ffa_error(FfaError::Busy);
  }
  const bool v1_0 = caller_version() == ffa::kV1_0;
  const uint32_t size = v1_0 ? kDescriptorV1_0 : kDescriptorV1_1;
  if (found.size() * size > ns_.rxtx->bytes()) {
    note(fmt::format("FFA_PARTITION_INFO_GET: {} descriptors do not fit in {} bytes", found.size(),
                     ns_.rxtx->bytes()));
    return ffa_error(FfaError::NoMemory);
  }
  std::vector<uint8_t> rx(ns_.rxtx->bytes(), 0);
  for (size_t i = 0; i < found.size(); ++i) {
    const PartitionConfig& p = found[i]->config;
    const size_t at = i * size;
    put16(rx, at, p.id.value());
    put16(rx, at + 2, p.exec_contexts);
    put32(rx, at + 4, v1_0 ? (p.properties & props::kV1_0Mask) : p.properties);
    if (!v1_0 && nil_uuid) std::ranges::copy(p.uuid.bytes(), rx.begin() + at + 8);
  }
  memory_.write(ns_.rxtx->rx, rx);
  ns_.rx_state = RxState::Full;
  // TF-A leaves w3 at 0 for v1.0 callers (the size field is v1.1+); Hafnium always reports it.
  const uint32_t w3 = (!hafnium() && v1_0) ? 0 : size;
  return ret(hafnium() ? 8 : 4, ffa::success_reply(found.size(), w3));
}

Reply Spmc::partition_info_get_regs(const SmcccRegs& in) {
  const PartitionInfoGetRegsCall call = decode_regs(in);
  if (call.tag != 0) {
    note(
        fmt::format("FFA_PARTITION_INFO_GET_REGS: tag {:#x} is not one the SPMC issued", call.tag));
    return ffa_error(FfaError::Retry);
  }
  const std::vector<const Partition*> found = match(call.uuid);
  if (found.empty() || call.start_index >= found.size()) {
    note(fmt::format("FFA_PARTITION_INFO_GET_REGS: UUID {} start {} matches {} partitions",
                     call.uuid, call.start_index, found.size()));
    return ffa_error(FfaError::InvalidParameters);
  }
  const auto last = static_cast<uint16_t>(found.size() - 1);
  const auto count = std::min<uint16_t>(last - call.start_index + 1, kRegsEntriesPerCall);
  const auto current = static_cast<uint16_t>(call.start_index + count - 1);
  SmcccRegs out;
  out.x[0] = ffa::fid::kSuccess64;
  out.x[2] = (uint64_t{kDescriptorV1_1} << 48) | (uint64_t{current} << 16) | last;
  for (uint16_t i = 0; i < count; ++i) {
    const PartitionConfig& p = found[call.start_index + i]->config;
    const int reg = 3 + 3 * i;
    out.x[reg] = p.id.value() | (uint64_t{p.exec_contexts} << 16) | (uint64_t{p.properties} << 32);
    out.x[reg + 1] = p.uuid.lo();
    out.x[reg + 2] = p.uuid.hi();
  }
  return ret(18, out);
}

}  // namespace ffaemu::fw
