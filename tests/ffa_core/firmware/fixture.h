// Shared fixture: an El3Firmware over RegionMemory with the default map, called the way emu calls
// it (Trap{Smc, 0, pc, el, regs}), plus exact-register assertions.
#pragma once

#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "emu/layout.h"
#include "ffa_core/firmware/el3.h"

namespace ffaemu::fw::test {

namespace fid = ffa::fid;
using emu::SmcccRegs;
using ffa::FfaError;

inline constexpr uint64_t kTx = emu::layout::kHostRamBase;
inline constexpr uint64_t kRx = emu::layout::kHostRamBase + 0x10000;

// x8-x17 filled with a pattern, as tf-a-tests' test_smccc_callee_preserved does.
inline SmcccRegs patterned(SmcccRegs r) {
  for (int i = 8; i < emu::kSmcccRegCount; ++i)
    r.x[i] = 0xa5a5a5a500000000ull | i;
  return r;
}

// The caller's registers with the first n replaced: what a reply writing n registers looks like.
inline SmcccRegs expected(const SmcccRegs& caller, int n, const SmcccRegs& written) {
  SmcccRegs out = caller;
  for (int i = 0; i < n; ++i)
    out.x[i] = written.x[i];
  return out;
}

inline std::string diff(const SmcccRegs& got, const SmcccRegs& want) {
  std::string s;
  for (int i = 0; i < emu::kSmcccRegCount; ++i) {
    if (got.x[i] != want.x[i])
      s += fmt::format(" x{}: got {:#x} want {:#x};", i, got.x[i], want.x[i]);
  }
  return s;
}

#define EXPECT_REGS(got, want) EXPECT_TRUE((got) == (want)) << diff((got), (want))

// FFA_ERROR(code) in eight registers, x8-x17 the caller's.
#define EXPECT_FFA_ERROR(got, in, code)          \
  EXPECT_REGS(got, ::ffaemu::fw::test::expected( \
                       in, 8, emu::regs(fid::kError, 0, static_cast<uint32_t>(code))))

class FirmwareTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (emu::RegionSpec spec : emu::layout::default_regions())
      memory_.add(spec);
  }

  El3Firmware& boot(FirmwareConfig config = {}) {
    fw_ = std::make_unique<El3Firmware>(std::move(config), memory_);
    return *fw_;
  }
  El3Firmware& boot(SpmcPersona persona) {
    FirmwareConfig config;
    config.spmc = persona;
    return boot(config);
  }

  SmcccRegs call(const SmcccRegs& in, uint8_t el = 1) {
    emu::Trap trap{emu::ConduitKind::Smc, 0, emu::layout::kCodeBase, el, in};
    return fw_->on_trap(trap).regs;
  }

  SmcccRegs version(uint32_t v) { return call(emu::regs(fid::kVersion, v)); }
  SmcccRegs map(uint64_t tx = kTx, uint64_t rx = kRx, uint32_t pages = 1) {
    return call(emu::regs(fid::kRxTxMap64, tx, rx, pages));
  }
  SmcccRegs info_get(uint32_t flags = 0) {
    return call(emu::regs(fid::kPartitionInfoGet, 0, 0, 0, 0, flags));
  }

  const Spmc& spmc() const { return fw_->spmc(); }
  const NsEndpoint& ns() const { return fw_->spmc().ns_endpoint(); }

  emu::RegionMemory memory_;
  std::unique_ptr<El3Firmware> fw_;
};

// Parameterised over both personas.
class BothPersonas : public FirmwareTest, public ::testing::WithParamInterface<SpmcPersona> {
 protected:
  bool hafnium() const { return GetParam() == SpmcPersona::Hafnium; }
  El3Firmware& boot_negotiated(ffa::FfaVersion v = ffa::kV1_2) {
    El3Firmware& f = boot(GetParam());
    version(v.raw());
    return f;
  }
};

inline std::string persona_param_name(const ::testing::TestParamInfo<SpmcPersona>& info) {
  return info.param == SpmcPersona::Hafnium ? "Hafnium" : "TfaEl3";
}

#define INSTANTIATE_BOTH_PERSONAS(suite)                                                 \
  INSTANTIATE_TEST_SUITE_P(Personas, suite,                                              \
                           ::testing::Values(SpmcPersona::Hafnium, SpmcPersona::TfaEl3), \
                           ::ffaemu::fw::test::persona_param_name)

}  // namespace ffaemu::fw::test
