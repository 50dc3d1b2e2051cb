// Guest physical memory as named regions with permissions, owned by the host. The engine maps the
// same buffers into Unicorn (uc_mem_map_ptr), so models read and write guest memory here without
// Unicorn, and model tests use a RegionMemory with no engine at all.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

namespace ffaemu::emu {

// A guest physical address. The emulated guest runs with the MMU off, so VA == PA at EL1.
struct PhysAddr {
  uint64_t value = 0;
  friend constexpr auto operator<=>(PhysAddr, PhysAddr) = default;
  [[nodiscard]] constexpr PhysAddr operator+(uint64_t off) const { return {value + off}; }
};

enum Perm : uint8_t { kRead = 1, kWrite = 2, kExec = 4 };

// HostRam is the normal-world RAM the kernel hands out (RX/TX buffers, shared pages); HypRam is
// EL2-private memory (pKVM's proxy buffers); SecureRam belongs to the secure world. The last two
// exist only for the models: they are never mapped at EL1.
enum class RegionKind : uint8_t { Code, Data, Stack, HostRam, HypRam, SecureRam };

[[nodiscard]] const char* region_kind_name(RegionKind kind);

struct RegionSpec {
  std::string name;
  RegionKind kind = RegionKind::Data;
  uint64_t base = 0;
  uint64_t size = 0;
  uint8_t perms = kRead | kWrite;
  bool el1_mapped = true;  // false: visible to the models only

  [[nodiscard]] uint64_t end() const { return base + size; }
  [[nodiscard]] bool contains(uint64_t addr, uint64_t len) const {
    return addr >= base && len <= size && addr - base <= size - len;
  }
};

// A model touched memory outside every region: a bug in the model, since models must check
// guest-supplied addresses (and answer the FF-A error) before they access them.
class GuestMemoryError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class GuestMemory {
 public:
  virtual ~GuestMemory() = default;

  // The region holding all of [addr, addr + len), or nullptr when no single region does.
  [[nodiscard]] virtual const RegionSpec* find(PhysAddr addr, uint64_t len) const = 0;
  virtual void read(PhysAddr addr, std::span<uint8_t> out) const = 0;
  virtual void write(PhysAddr addr, std::span<const uint8_t> in) = 0;

  [[nodiscard]] uint64_t read_u64(PhysAddr addr) const;
  [[nodiscard]] uint32_t read_u32(PhysAddr addr) const;
  void write_u64(PhysAddr addr, uint64_t value);
  void write_u32(PhysAddr addr, uint32_t value);
  void fill(PhysAddr addr, uint64_t len, uint8_t byte);
};

// Host-owned regions. Buffers are page-aligned so Unicorn can map them in place.
class RegionMemory final : public GuestMemory {
 public:
  struct Region {
    RegionSpec spec;
    std::unique_ptr<uint8_t, void (*)(uint8_t*)> bytes;
    std::vector<bool> dirty;  // per 4 KiB page written through write() since the last reset
  };

  // Adds a zeroed region; throws std::invalid_argument when it is empty, not 4 KiB aligned, or
  // overlaps an existing region.
  Region& add(RegionSpec spec);

  [[nodiscard]] const RegionSpec* find(PhysAddr addr, uint64_t len) const override;
  void read(PhysAddr addr, std::span<uint8_t> out) const override;
  void write(PhysAddr addr, std::span<const uint8_t> in) override;

  // Host pointer to [addr, addr + len) or nullptr; the engine uses it to fetch instruction words.
  [[nodiscard]] uint8_t* host(PhysAddr addr, uint64_t len);
  [[nodiscard]] const std::vector<Region>& regions() const { return regions_; }
  [[nodiscard]] const RegionSpec* by_name(std::string_view name) const;

  // Zeroes the pages written through write() since the last reset, and every region `also`
  // selects (the ones EL1 code may have stored to), so the memory is as new for the next user.
  void reset(const std::function<bool(const RegionSpec&)>& also);
  // Takes the current contents as the state reset() returns to (after loading fixed code).
  void mark_clean();

  // Called after a host write into an executable region, so translated code can be dropped.
  std::function<void(uint64_t begin, uint64_t end)> on_code_write;

 private:
  Region* locate(uint64_t addr, uint64_t len);
  const Region* locate(uint64_t addr, uint64_t len) const;
  std::vector<Region> regions_;
};

}  // namespace ffaemu::emu

template <>
struct fmt::formatter<ffaemu::emu::PhysAddr> : fmt::formatter<uint64_t> {
  auto format(ffaemu::emu::PhysAddr a, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "pa:{:#x}", a.value);
  }
};
