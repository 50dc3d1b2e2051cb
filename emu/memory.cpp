#include "emu/memory.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>

namespace ffaemu::emu {
namespace {

constexpr uint64_t kRegionAlign = 4096;

void free_aligned(uint8_t* p) {
  std::free(p);
}

}  // namespace

const char* region_kind_name(RegionKind kind) {
  switch (kind) {
    case RegionKind::Code:
      return "code";
    case RegionKind::Data:
      return "data";
    case RegionKind::Stack:
      return "stack";
    case RegionKind::HostRam:
      return "host-ram";
    case RegionKind::HypRam:
      return "hyp-ram";
    case RegionKind::SecureRam:
      return "secure-ram";
  }
  return "?";
}

uint64_t GuestMemory::read_u64(PhysAddr addr) const {
  uint8_t b[8];
  read(addr, b);
  uint64_t v;
  std::memcpy(&v, b, 8);
  return v;
}

uint32_t GuestMemory::read_u32(PhysAddr addr) const {
  uint8_t b[4];
  read(addr, b);
  uint32_t v;
  std::memcpy(&v, b, 4);
  return v;
}

void GuestMemory::write_u64(PhysAddr addr, uint64_t value) {
  uint8_t b[8];
  std::memcpy(b, &value, 8);
  write(addr, b);
}

void GuestMemory::write_u32(PhysAddr addr, uint32_t value) {
  uint8_t b[4];
  std::memcpy(b, &value, 4);
  write(addr, b);
}

void GuestMemory::fill(PhysAddr addr, uint64_t len, uint8_t byte) {
  std::vector<uint8_t> bytes(len, byte);
  write(addr, bytes);
}

RegionMemory::Region& RegionMemory::add(RegionSpec spec) {
  if (spec.size == 0 || spec.base % kRegionAlign || spec.size % kRegionAlign ||
      spec.base + spec.size < spec.base) {
    throw std::invalid_argument(
        fmt::format("region '{}' at {:#x} size {:#x}: must be non-empty and "
                    "4 KiB aligned",
                    spec.name, spec.base, spec.size));
  }
  for (const Region& r : regions_) {
    if (spec.base < r.spec.end() && r.spec.base < spec.end()) {
      throw std::invalid_argument(fmt::format("region '{}' [{:#x}, {:#x}) overlaps '{}'", spec.name,
                                              spec.base, spec.end(), r.spec.name));
    }
  }
  auto* raw = static_cast<uint8_t*>(std::aligned_alloc(kRegionAlign, spec.size));
  if (raw == nullptr) throw std::bad_alloc();
  std::memset(raw, 0, spec.size);
  size_t pages = spec.size / kRegionAlign;
  regions_.push_back(Region{std::move(spec), {raw, &free_aligned}, std::vector<bool>(pages)});
  return regions_.back();
}

RegionMemory::Region* RegionMemory::locate(uint64_t addr, uint64_t len) {
  for (Region& r : regions_) {
    if (r.spec.contains(addr, len)) return &r;
  }
  return nullptr;
}

const RegionMemory::Region* RegionMemory::locate(uint64_t addr, uint64_t len) const {
  return const_cast<RegionMemory*>(this)->locate(addr, len);
}

const RegionSpec* RegionMemory::find(PhysAddr addr, uint64_t len) const {
  const Region* r = locate(addr.value, len);
  return r ? &r->spec : nullptr;
}

const RegionSpec* RegionMemory::by_name(std::string_view name) const {
  for (const Region& r : regions_) {
    if (r.spec.name == name) return &r.spec;
  }
  return nullptr;
}

uint8_t* RegionMemory::host(PhysAddr addr, uint64_t len) {
  Region* r = locate(addr.value, len);
  return r ? r->bytes.get() + (addr.value - r->spec.base) : nullptr;
}

void RegionMemory::read(PhysAddr addr, std::span<uint8_t> out) const {
  const Region* r = locate(addr.value, out.size());
  if (r == nullptr) {
    throw GuestMemoryError(
        fmt::format("read of {} bytes at {} is outside guest memory", out.size(), addr));
  }
  std::memcpy(out.data(), r->bytes.get() + (addr.value - r->spec.base), out.size());
}

void RegionMemory::write(PhysAddr addr, std::span<const uint8_t> in) {
  Region* r = locate(addr.value, in.size());
  if (r == nullptr) {
    throw GuestMemoryError(
        fmt::format("write of {} bytes at {} is outside guest memory", in.size(), addr));
  }
  std::memcpy(r->bytes.get() + (addr.value - r->spec.base), in.data(), in.size());
  if (!in.empty()) {
    uint64_t first = (addr.value - r->spec.base) / kRegionAlign;
    uint64_t last = (addr.value - r->spec.base + in.size() - 1) / kRegionAlign;
    for (uint64_t p = first; p <= last; ++p)
      r->dirty[p] = true;
  }
  if ((r->spec.perms & kExec) && on_code_write) on_code_write(addr.value, addr.value + in.size());
}

void RegionMemory::reset(const std::function<bool(const RegionSpec&)>& also) {
  for (Region& r : regions_) {
    bool whole = also(r.spec);
    for (size_t p = 0; p < r.dirty.size(); ++p) {
      if (!whole && !r.dirty[p]) continue;
      std::memset(r.bytes.get() + p * kRegionAlign, 0, kRegionAlign);
      uint64_t at = r.spec.base + p * kRegionAlign;
      if ((r.spec.perms & kExec) && on_code_write) on_code_write(at, at + kRegionAlign);
    }
  }
  mark_clean();
}

void RegionMemory::mark_clean() {
  for (Region& r : regions_)
    std::fill(r.dirty.begin(), r.dirty.end(), false);
}

}  // namespace ffaemu::emu
