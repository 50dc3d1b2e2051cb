// Byte-level reading and writing of FF-A memory transaction descriptors (little-endian, offsets
// from Hafnium inc/vmapi/hf/ffa.h and ffa_v1_0.h).
#include "ffa_core/firmware/spmc/memory_descriptors.h"

#include <algorithm>

namespace ffaemu::fw {
namespace {

void put(std::vector<uint8_t>& d, size_t off, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i)
    d[off + i] = static_cast<uint8_t>(value >> (8 * i));
}

bool zero(std::span<const uint8_t> d, size_t off, size_t len) {
  return std::all_of(d.begin() + off, d.begin() + off + len, [](uint8_t b) { return b == 0; });
}

}  // namespace

bool MemTransaction::retrieved() const {
  return std::any_of(receivers.begin(), receivers.end(),
                     [](const MemReceiver& r) { return r.retrieved != 0; });
}

uint16_t get_u16(std::span<const uint8_t> d, size_t off) {
  return static_cast<uint16_t>(d[off] | (d[off + 1] << 8));
}

uint32_t get_u32(std::span<const uint8_t> d, size_t off) {
  return get_u16(d, off) | (uint32_t{get_u16(d, off + 2)} << 16);
}

uint64_t get_u64(std::span<const uint8_t> d, size_t off) {
  return get_u32(d, off) | (uint64_t{get_u32(d, off + 4)} << 32);
}

MemHeader parse_mem_header(std::span<const uint8_t> d, bool v1_0) {
  MemHeader h;
  h.sender = get_u16(d, 0);
  h.flags = get_u32(d, 4);
  h.handle = get_u64(d, 8);
  h.tag = get_u64(d, 16);
  h.emad_count = get_u32(d, 28);
  if (v1_0) {
    // attributes u8 @2, reserved_0 u8 @3, reserved_1 u32 @24, EMADs @32.
    h.attributes = d[2];
    h.emad_size = mem::kEmadV1_0;
    h.emad_offset = mem::kHeaderV1_0;
    h.reserved_zero = d[3] == 0 && get_u32(d, 24) == 0;
  } else {
    // attributes u16 @2, memory_access_desc_size @24, receivers_offset @32, reserved[3] @36.
    h.attributes = get_u16(d, 2);
    h.emad_size = get_u32(d, 24);
    h.emad_offset = get_u32(d, 32);
    h.reserved_zero = zero(d, 36, 12);
  }
  return h;
}

MemEmad parse_mem_emad(std::span<const uint8_t> d, uint32_t offset, uint32_t emad_size) {
  MemEmad e;
  e.receiver = get_u16(d, offset);
  e.permissions = d[offset + 2];
  e.composite_offset = get_u32(d, offset + 4);
  // reserved_0: u64 @8 (16-byte EMAD) or u64 @24 after the impdef bytes (32-byte EMAD).
  const size_t reserved = emad_size >= mem::kEmadV1_2 ? 24 : 8;
  e.reserved_zero = offset + reserved + 8 > d.size() || get_u64(d, offset + reserved) == 0;
  return e;
}

MemRange parse_mem_range(std::span<const uint8_t> d, uint32_t offset) {
  return {get_u64(d, offset), get_u32(d, offset + 8)};
}

std::vector<uint8_t> hyp_retrieve_response(const MemTransaction& t, ffa::FfaVersion caller,
                                           bool all_receivers) {
  const bool v1_0 = caller == ffa::kV1_0;
  const uint32_t header = v1_0 ? mem::kHeaderV1_0 : mem::kHeaderV1_1;
  const uint32_t emad_size =
      all_receivers && caller >= ffa::kV1_2 ? mem::kEmadV1_2 : mem::kEmadV1_0;
  const auto emads = static_cast<uint32_t>(all_receivers ? t.receivers.size() : 1);
  const uint32_t composite = header + emads * emad_size;
  std::vector<uint8_t> d(composite + mem::kCompositeSize + t.ranges.size() * mem::kConstituentSize);
  put(d, 0, t.header.sender, 2);
  // The NS bit is set for a hypervisor above v1.0 (TF-A spmc_ffa_mem_retrieve_update_ns_bit,
  // Hafnium ffa_memory_add_security_bit_from_mode).
  const uint16_t ns = v1_0 ? 0 : mem::kAttrNs;
  put(d, 2, (all_receivers ? t.header.attributes : 0) | ns, v1_0 ? 1 : 2);
  if (all_receivers) put(d, 4, t.header.flags, 4);
  put(d, 8, t.header.handle, 8);
  put(d, 28, emads, 4);
  if (!v1_0) {
    put(d, 24, emad_size, 4);
    put(d, 32, header, 4);
  }
  for (uint32_t i = 0; i < emads; ++i) {
    const size_t e = header + size_t{i} * emad_size;
    if (all_receivers) {
      put(d, e, t.receivers[i].id.value(), 2);
      put(d, e + 2, t.receivers[i].permissions, 1);
    }
    put(d, e + 4, composite, 4);
  }
  uint32_t pages = 0;
  for (const MemRange& r : t.ranges)
    pages += r.pages;
  put(d, composite, pages, 4);
  put(d, composite + 4, t.ranges.size(), 4);
  for (size_t i = 0; i < t.ranges.size(); ++i) {
    const size_t c = composite + mem::kCompositeSize + i * mem::kConstituentSize;
    put(d, c, t.ranges[i].address, 8);
    put(d, c + 8, t.ranges[i].pages, 4);
  }
  return d;
}

}  // namespace ffaemu::fw
