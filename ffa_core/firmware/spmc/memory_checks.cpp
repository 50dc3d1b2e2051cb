// Descriptor validation for FFA_MEM_SHARE/LEND/DONATE: Hafnium ffa_memory_region_sanity_check,
// api_memory_region_check_flags, ffa_memory_send_validate and ffa_send_check_update (first
// fragment, then the complete descriptor); TF-A spmc_shmem_check_obj and
// spmc_shmem_check_state_obj (complete descriptor).
#include <algorithm>

#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

bool overlap(const MemRange& a, const MemRange& b) {
  const uint64_t a_end = a.address + uint64_t{a.pages} * mem::kPageSize;
  const uint64_t b_end = b.address + uint64_t{b.pages} * mem::kPageSize;
  return a.address < b_end && b.address < a_end;
}

// The receivers of a descriptor whose EMADs lie inside `t.bytes`.
std::vector<MemEmad> emads(const MemTransaction& t) {
  std::vector<MemEmad> out;
  for (uint32_t i = 0; i < t.header.emad_count; ++i) {
    out.push_back(
        parse_mem_emad(t.bytes, t.header.emad_offset + i * t.header.emad_size, t.header.emad_size));
  }
  return out;
}

}  // namespace

// ffa_memory_region_sanity_check, api_memory_region_check_flags, the receiver loop of
// api_ffa_mem_send and ffa_memory_send_validate, in that order.
std::optional<FfaError> Spmc::check_first_fragment_hafnium(const MemTransaction& t) const {
  const MemHeader& h = t.header;
  const auto fragment = static_cast<uint32_t>(t.bytes.size());
  const bool v1_0 = caller_version() == ffa::kV1_0;
  auto invalid = [&](std::string_view why) { return mem_refuse(FfaError::InvalidParameters, why); };
  if (!h.reserved_zero) return invalid("reserved header fields must be 0");
  if (!v1_0 && ((h.emad_size != mem::kEmadV1_0 && h.emad_size != mem::kEmadV1_2) ||
                (h.emad_size == mem::kEmadV1_2 && caller_version() < ffa::kV1_2) ||
                h.emad_offset < mem::kHeaderV1_1)) {
    return invalid(fmt::format("EMAD size {:#x} offset {:#x}", h.emad_size, h.emad_offset));
  }
  if (h.emad_count < 1) return invalid("no receivers");
  const uint64_t receivers_end = h.emad_offset + uint64_t{h.emad_size} * h.emad_count;
  if (fragment < receivers_end) return invalid("first fragment ends inside the EMADs");
  const std::vector<MemEmad> receivers = emads(t);
  const uint32_t composite = receivers[0].composite_offset;
  if (composite == 0 || composite < receivers_end ||
      uint64_t{composite} + mem::kCompositeSize > fragment) {
    return invalid(fmt::format("composite offset {:#x}", composite));
  }
  for (const MemEmad& e : receivers) {
    if (!e.reserved_zero) return invalid("reserved EMAD field must be 0");
    if (e.composite_offset != composite) return invalid("EMADs name different composites");
  }
  if (t.op == MemOp::Share && (h.flags & mem::kFlagClear) != 0) {
    return invalid("memory cannot be cleared when shared");
  }
  if ((h.flags & ~uint32_t{mem::kFlagClear}) != 0) {
    return invalid(fmt::format("flags {:#x}", h.flags));
  }
  if (t.op == MemOp::Donate && h.emad_count != 1) return invalid("donate has one receiver");
  for (const MemEmad& e : receivers) {
    const EndpointId id{e.receiver};
    if ((id.secure() && partition(id) == nullptr) || id == EndpointId{h.sender}) {
      return invalid(fmt::format("receiver {}", id));
    }
    // ffa_memory_is_send_valid (SPMC): lend/donate only to SPs; share to one SP or to several
    // borrowers.
    if (!id.secure() && (t.op != MemOp::Share || h.emad_count == 1)) {
      return mem_refuse(FfaError::Denied, fmt::format("{} cannot borrow from the NWd", id));
    }
  }
  if (fragment % mem::kConstituentSize != 0 || t.total_length % mem::kConstituentSize != 0) {
    return invalid("lengths are not 16-byte aligned");
  }
  if (EndpointId{h.sender}.secure()) {
    return mem_refuse(FfaError::Denied, fmt::format("sender {:#x} is secure", h.sender));
  }
  if (receivers_end + mem::kCompositeSize + mem::kConstituentSize > t.total_length) {
    return invalid("total shorter than one constituent");
  }
  if (composite % 16 != 0) return invalid("composite offset not 16-byte aligned");
  const uint64_t constituents = t.total_length - uint64_t{composite} - mem::kCompositeSize;
  if (constituents % mem::kConstituentSize != 0 ||
      constituents / mem::kConstituentSize != get_u32(t.bytes, composite + 4)) {
    return invalid("constituent count does not match the length");
  }
  for (size_t i = 0; i < receivers.size(); ++i) {
    for (size_t j = i + 1; j < receivers.size(); ++j) {
      if (receivers[i].receiver == receivers[j].receiver) return invalid("repeated receiver");
    }
    const uint8_t data = receivers[i].permissions & 3;
    const uint8_t inst = (receivers[i].permissions >> 2) & 3;
    if (data == mem::kDataReserved || inst == mem::kInstReserved || inst != 0) {
      return invalid(fmt::format("permissions {:#x}", receivers[i].permissions));
    }
    if ((t.op == MemOp::Donate) != (data == 0)) {
      return invalid(fmt::format("data access {} for this transaction", data));
    }
  }
  if ((h.attributes & mem::kAttrNs) != 0) return invalid("NS attribute bit must be 0");
  const uint16_t type = (h.attributes >> 4) & 3;
  const uint16_t cache = (h.attributes >> 2) & 3;
  if (t.op == MemOp::Donate || (t.op == MemOp::Lend && h.emad_count == 1)) {
    if (type != 0) return invalid("memory type must be unspecified");
    return std::nullopt;
  }
  // ffa_memory_attributes_validate.
  if ((type == mem::kTypeNormal && cache != mem::kCacheWriteBack) ||
      (type == mem::kTypeDevice && cache != 0) || (h.attributes & 3) != mem::kInnerShareable) {
    return mem_refuse(FfaError::Denied, fmt::format("attributes {:#x}", h.attributes));
  }
  return std::nullopt;
}

std::optional<FfaError> Spmc::check_complete(MemTransaction& t) const {
  auto invalid = [&](std::string_view why) { return mem_refuse(FfaError::InvalidParameters, why); };
  const std::vector<MemEmad> receivers = emads(t);
  const uint32_t composite = receivers[0].composite_offset;
  if (!hafnium()) {
    // spmc_shmem_check_obj.
    for (size_t i = 0; i < receivers.size(); ++i) {
      const EndpointId id{receivers[i].receiver};
      if (id.secure() && partition(id) == nullptr) return invalid(fmt::format("receiver {}", id));
      if (receivers[i].composite_offset != composite) return invalid("EMADs differ in composite");
      for (size_t j = i + 1; j < receivers.size(); ++j) {
        if (receivers[j].receiver == id.value()) return invalid("repeated receiver");
      }
    }
    const uint64_t emads_end =
        t.header.emad_offset + uint64_t{t.header.emad_size} * receivers.size();
    if (composite < emads_end || composite % 16 != 0 || composite > t.total_length ||
        t.total_length - composite < mem::kCompositeSize) {
      return invalid(fmt::format("composite offset {:#x}", composite));
    }
    const uint32_t count = (t.total_length - composite - mem::kCompositeSize) / 16;
    if (get_u32(t.bytes, composite + 4) != count ||
        composite + mem::kCompositeSize + count * mem::kConstituentSize != t.total_length) {
      return invalid("constituent count does not match the length");
    }
  }
  std::vector<MemRange> ranges;
  const uint32_t count = get_u32(t.bytes, composite + 4);
  uint64_t pages = 0;
  for (uint32_t i = 0; i < count; ++i) {
    ranges.push_back(parse_mem_range(t.bytes, composite + mem::kCompositeSize + i * 16));
    pages += ranges.back().pages;
  }
  if (hafnium()) {
    // ffa_send_check_update / ffa_memory_check_overlap / constituents_get_mode.
    for (size_t i = 0; i < ranges.size(); ++i) {
      if (ranges[i].pages == 0) return invalid("constituent of 0 pages");
      for (size_t j = 0; j < i; ++j) {
        if (overlap(ranges[i], ranges[j])) return invalid("constituents overlap each other");
      }
    }
  }
  if (pages != get_u32(t.bytes, composite)) {
    return invalid(fmt::format("composite says {} pages, constituents {}",
                               get_u32(t.bytes, composite), pages));
  }
  if (auto error = check_ranges(ranges)) return error;
  for (const MemEmad& e : receivers)
    t.receivers.push_back({EndpointId{e.receiver}, e.permissions, 0});
  t.ranges = std::move(ranges);
  return std::nullopt;
}

// The constituents against memory: Hafnium requires page-aligned NS memory the sender owns and
// has not already shared or lent (DENIED otherwise), TF-A only refuses overlap with another
// transaction (spmc_shmem_check_state_obj, INVALID_PARAMETERS).
std::optional<FfaError> Spmc::check_ranges(const std::vector<MemRange>& ranges) const {
  const FfaError busy = hafnium() ? FfaError::Denied : FfaError::InvalidParameters;
  for (const MemRange& r : ranges) {
    const uint64_t bytes = uint64_t{r.pages} * mem::kPageSize;
    if (hafnium()) {
      if (r.address % mem::kPageSize != 0) {
        return mem_refuse(FfaError::InvalidParameters,
                          fmt::format("constituent {:#x} not page-aligned", r.address));
      }
      const emu::RegionSpec* region = memory_.find(emu::PhysAddr{r.address}, bytes);
      if (region == nullptr ||
          (region->kind != emu::RegionKind::HostRam && region->kind != emu::RegionKind::HypRam)) {
        return mem_refuse(FfaError::Denied,
                          fmt::format("[{:#x}, +{:#x}) is not NS RAM", r.address, bytes));
      }
      if (ns_.rxtx) {
        const uint64_t buf = ns_.rxtx->bytes();
        for (emu::PhysAddr b : {ns_.rxtx->tx, ns_.rxtx->rx}) {
          if (r.address < b.value + buf && b.value < r.address + bytes) {
            return mem_refuse(FfaError::Denied,
                              fmt::format("{:#x} overlaps the RX/TX buffers", r.address));
          }
        }
      }
    }
    for (const auto& [handle, other] : mem_) {
      const bool clash = std::any_of(other.ranges.begin(), other.ranges.end(),
                                     [&](const MemRange& o) { return overlap(r, o); });
      if (clash) {
        return mem_refuse(busy,
                          fmt::format("{:#x} is already in transaction {:#x}", r.address, handle));
      }
    }
  }
  return std::nullopt;
}

}  // namespace ffaemu::fw
