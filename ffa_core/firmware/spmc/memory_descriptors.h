// FF-A memory transaction descriptors (DEN0077 v1.1 section 10.11, DEN0140 chapter 1) as Hafnium
// (inc/vmapi/hf/ffa.h, ffa_v1_0.h) and TF-A (el3_spmc_ffa_memory.h) lay them out, and the state the
// SPMC keeps per handle (Hafnium struct ffa_memory_share_state, TF-A struct spmc_shmem_obj).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "ffa_core/abi/ffa.h"

namespace ffaemu::fw {

using ffa::EndpointId;

namespace mem {
// struct ffa_memory_region_v1_0 (32 bytes, EMADs follow) and struct ffa_memory_region (48 bytes).
inline constexpr uint32_t kHeaderV1_0 = 32;
inline constexpr uint32_t kHeaderV1_1 = 48;
// struct ffa_memory_access: 16 bytes up to v1.1, 32 from v1.2 (16 impdef bytes at offset 8).
inline constexpr uint32_t kEmadV1_0 = 16;
inline constexpr uint32_t kEmadV1_2 = 32;
inline constexpr uint32_t kCompositeSize = 16;
inline constexpr uint32_t kConstituentSize = 16;
inline constexpr uint64_t kPageSize = 4096;
// Memory region attributes: bit 6 NS, bits 5:4 type, bits 3:2 cacheability, bits 1:0 shareability.
inline constexpr uint16_t kAttrNs = 1u << 6;
inline constexpr uint16_t kTypeDevice = 1;
inline constexpr uint16_t kTypeNormal = 2;
inline constexpr uint16_t kCacheWriteBack = 3;
inline constexpr uint16_t kInnerShareable = 3;
// Transaction flags: bit 0 zero memory, bit 1 time slicing, bits 4:3 transaction type.
inline constexpr uint32_t kFlagClear = 1u << 0;
inline constexpr uint32_t kFlagTypeShare = 1u << 3;
inline constexpr uint32_t kFlagTypeLend = 2u << 3;
inline constexpr uint32_t kFlagTypeDonate = 3u << 3;
// Access permissions: bits 1:0 data (0 unspecified, 1 RO, 2 RW, 3 reserved), bits 3:2
// instruction (0 unspecified, 1 NX, 2 X, 3 reserved).
inline constexpr uint8_t kDataReserved = 3;
inline constexpr uint8_t kInstReserved = 3;
// Hafnium FFA_MEMORY_HANDLE_ALLOCATOR_BIT: set for hypervisor-allocated handles.
inline constexpr uint64_t kHandleAllocatorHypervisor = 1ull << 63;
}  // namespace mem

enum class MemOp : uint8_t { Share, Lend, Donate };

// The header fields both layouts carry; v1.0 has no EMAD size/offset (16 and 32 implied).
struct MemHeader {
  uint16_t sender = 0;
  uint16_t attributes = 0;
  uint32_t flags = 0;
  uint64_t handle = 0;
  uint64_t tag = 0;
  uint32_t emad_size = 0;
  uint32_t emad_count = 0;
  uint32_t emad_offset = 0;
  bool reserved_zero = true;
};

struct MemEmad {
  uint16_t receiver = 0;
  uint8_t permissions = 0;
  uint32_t composite_offset = 0;
  bool reserved_zero = true;
};

struct MemRange {
  uint64_t address = 0;
  uint32_t pages = 0;
  friend bool operator==(const MemRange&, const MemRange&) = default;
};

struct MemReceiver {
  EndpointId id;
  uint8_t permissions = 0;
  uint32_t retrieved = 0;  // outstanding retrievals (Hafnium retrieved_fragment_count, TF-A in_use)
  friend bool operator==(const MemReceiver&, const MemReceiver&) = default;
};

// One handle's transaction. `bytes` holds the descriptor as received; header, receivers and
// ranges are filled once it is complete.
struct MemTransaction {
  MemOp op = MemOp::Share;
  MemHeader header;
  std::vector<MemReceiver> receivers;
  std::vector<MemRange> ranges;
  std::vector<uint8_t> bytes;
  uint32_t total_length = 0;
  [[nodiscard]] bool complete() const { return bytes.size() == total_length; }
  [[nodiscard]] bool retrieved() const;
};

// The NS endpoint's hypervisor retrieve in progress (FFA_MEM_RETRIEVE_RESP, then FFA_MEM_FRAG_RX).
struct HypRetrieve {
  uint64_t handle = 0;
  std::vector<uint8_t> response;
  uint32_t next_offset = 0;
};

[[nodiscard]] uint16_t get_u16(std::span<const uint8_t> d, size_t off);
[[nodiscard]] uint32_t get_u32(std::span<const uint8_t> d, size_t off);
[[nodiscard]] uint64_t get_u64(std::span<const uint8_t> d, size_t off);

// The header of a descriptor in `d` (at least kHeaderV1_0 / kHeaderV1_1 bytes).
[[nodiscard]] MemHeader parse_mem_header(std::span<const uint8_t> d, bool v1_0);
// The EMAD at `offset` (at least 16 bytes follow); reserved bytes checked per `emad_size`.
[[nodiscard]] MemEmad parse_mem_emad(std::span<const uint8_t> d, uint32_t offset,
                                     uint32_t emad_size);
[[nodiscard]] MemRange parse_mem_range(std::span<const uint8_t> d, uint32_t offset);

// The descriptor a hypervisor retrieve returns (Hafnium ffa_hypervisor_retrieve_response_init:
// every receiver, EMADs of the caller's size; TF-A spmc_populate_ffa_hyp_descriptor: one blank
// 16-byte EMAD), in the caller's layout.
[[nodiscard]] std::vector<uint8_t> hyp_retrieve_response(const MemTransaction& t,
                                                         ffa::FfaVersion caller,
                                                         bool all_receivers);

}  // namespace ffaemu::fw
