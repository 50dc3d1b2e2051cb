// Builds FF-A memory transaction descriptors the way Linux's ffa_mem_first_frag lays them out
// (header 32 or 48 bytes, 16- or 32-byte EMADs, one composite, 16-byte constituents) for the SPMC
// memory tests.
#pragma once

#include <cstdint>
#include <vector>

#include "../fixture.h"
#include "ffa_core/firmware/spmc/services/echo.h"

namespace ffaemu::fw::test {

inline constexpr uint64_t kShared = emu::layout::kHostRamBase + 0x100000;
inline constexpr uint16_t kEcho = 0x8002;
inline constexpr uint16_t kTpm = 0x8001;
inline constexpr uint8_t kRw = 0x2;
inline constexpr uint16_t kNormalWbInner = 0x2f;

struct Desc {
  uint16_t sender = 0;
  uint16_t attributes = kNormalWbInner;
  uint32_t flags = 0;
  uint64_t handle = 0;
  std::vector<std::pair<uint16_t, uint8_t>> receivers = {{kEcho, kRw}};
  std::vector<MemRange> ranges = {{kShared, 1}};
  ffa::FfaVersion version = ffa::kV1_2;
  int64_t composite_pages_delta = 0;

  [[nodiscard]] uint32_t header() const { return version == ffa::kV1_0 ? 32 : 48; }
  [[nodiscard]] uint32_t emad() const { return version >= ffa::kV1_2 ? 32 : 16; }
  [[nodiscard]] uint32_t composite() const {
    return header() + emad() * static_cast<uint32_t>(receivers.size());
  }

  [[nodiscard]] std::vector<uint8_t> bytes() const {
    std::vector<uint8_t> d(composite() + 16 + 16 * ranges.size());
    auto put = [&](size_t off, uint64_t v, int n) {
      for (int i = 0; i < n; ++i)
        d[off + i] = static_cast<uint8_t>(v >> (8 * i));
    };
    put(0, sender, 2);
    put(2, attributes, version == ffa::kV1_0 ? 1 : 2);
    put(4, flags, 4);
    put(8, handle, 8);
    put(28, receivers.size(), 4);
    if (version != ffa::kV1_0) {
      put(24, emad(), 4);
      put(32, header(), 4);
    }
    for (size_t i = 0; i < receivers.size(); ++i) {
      put(header() + i * emad(), receivers[i].first, 2);
      put(header() + i * emad() + 2, receivers[i].second, 1);
      put(header() + i * emad() + 4, composite(), 4);
    }
    int64_t pages = composite_pages_delta;
    for (size_t i = 0; i < ranges.size(); ++i) {
      put(composite() + 16 + 16 * i, ranges[i].address, 8);
      put(composite() + 16 + 16 * i + 8, ranges[i].pages, 4);
      pages += ranges[i].pages;
    }
    put(composite(), static_cast<uint64_t>(pages), 4);
    put(composite() + 4, ranges.size(), 4);
    return d;
  }
};

class MemoryTest : public BothPersonas {
 protected:
  // FF-A negotiated at `v`, RX/TX mapped at kTx/kRx.
  void ready(ffa::FfaVersion v = ffa::kV1_2) {
    boot_negotiated(v);
    ASSERT_EQ(map().w(0), fid::kSuccess);
  }
  void write_tx(const std::vector<uint8_t>& bytes, size_t from = 0, size_t n = SIZE_MAX) {
    n = std::min(n, bytes.size() - from);
    memory_.write(emu::PhysAddr{kTx}, std::span<const uint8_t>(bytes).subspan(from, n));
  }
  SmcccRegs send(const Desc& d, uint32_t func = fid::kMemShare64) {
    const std::vector<uint8_t> b = d.bytes();
    write_tx(b);
    const auto len = static_cast<uint32_t>(b.size());
    return call(patterned(emu::regs(func, len, len)));
  }
  // Shares `d` and returns the handle (FFA_SUCCESS w2/w3).
  uint64_t share(const Desc& d = {}, uint32_t func = fid::kMemShare64) {
    const SmcccRegs r = send(d, func);
    EXPECT_EQ(r.w(0), fid::kSuccess) << fmt::format("w2 {:#x}", r.w(2));
    return r.w(2) | (uint64_t{r.w(3)} << 32);
  }
  uint64_t first_handle() const { return hafnium() ? 0 : 0xffffffc0; }
  // The echo partition's memory command through FFA_MSG_SEND_DIRECT_REQ; returns its status.
  uint32_t echo_command(uint32_t command, uint64_t handle) {
    const SmcccRegs r = call(emu::regs(fid::kMsgSendDirectReq, kEcho, 0, command,
                                       static_cast<uint32_t>(handle), handle >> 32));
    EXPECT_EQ(r.w(0), fid::kMsgSendDirectResp);
    EXPECT_EQ(r.w(3), command);
    return r.w(4);
  }
  SmcccRegs reclaim(uint64_t handle, uint32_t flags = 0) {
    return call(
        patterned(emu::regs(fid::kMemReclaim, static_cast<uint32_t>(handle), handle >> 32, flags)));
  }
  const std::map<uint64_t, MemTransaction>& handles() const { return spmc().mem_transactions(); }
};

}  // namespace ffaemu::fw::test
