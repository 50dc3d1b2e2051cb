// Test support for the pKVM model: a scripted fake EL3 that records every call EL2 makes, and a
// fixture holding guest memory, the fake and a Pkvm in the installed-and-finalised state.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "emu/layout.h"
#include "emu/memory.h"
#include "emu/smccc.h"
#include "ffa_core/abi/ffa.h"
#include "ffa_core/abi/observer.h"
#include "ffa_core/pkvm/pkvm.h"

namespace ffaemu::pkvm::test {

namespace fid = ffa::fid;
using emu::SmcccRegs;

inline constexpr uint64_t kAllOnes = ~uint64_t{0};
// A sign-extended FF-A status, as pKVM writes it.
inline uint64_t sext(ffa::FfaError e) {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(e)));
}
inline SmcccRegs ffa_err(ffa::FfaError e) {
  return emu::regs(fid::kError, 0, sext(e));
}
inline SmcccRegs ffa_ok(uint64_t w2 = 0, uint64_t w3 = 0) {
  return emu::regs(fid::kSuccess, 0, w2, w3);
}
// Registers x0..x17 = base + i, to check what is passed or written back unchanged.
inline SmcccRegs pattern(uint64_t x0, uint64_t base) {
  SmcccRegs r;
  r.x[0] = x0;
  for (int i = 1; i < emu::kSmcccRegCount; ++i)
    r.x[i] = base + i;
  return r;
}

// EL3 as the proxy sees it: answers by function ID from a table of scripted replies and records
// each call with the number of host stage-2 operations done before it.
class FakeEl3 final : public emu::TrapHandler {
 public:
  using Answer = std::function<SmcccRegs(const emu::Trap&)>;
  struct Call {
    emu::Trap trap;
    size_t stage2_ops_before = 0;
  };

  FakeEl3();
  emu::TrapReply on_trap(const emu::Trap& trap) override;

  void answer(uint32_t func_id, SmcccRegs reply) {
    answers_[func_id] = [reply](const emu::Trap&) { return reply; };
  }
  void answer(uint32_t func_id, Answer fn) { answers_[func_id] = std::move(fn); }
  void watch(const Pkvm* pkvm) { pkvm_ = pkvm; }

  [[nodiscard]] const std::vector<Call>& calls() const { return calls_; }
  [[nodiscard]] std::vector<uint32_t> ids() const;
  void clear() { calls_.clear(); }
  emu::TrapAction action = emu::TrapAction::Resume;

 private:
  std::map<uint32_t, Answer> answers_;
  std::vector<Call> calls_;
  const Pkvm* pkvm_ = nullptr;
};

class RecordingObserver final : public ffa::HopObserver {
 public:
  void on_hop(ffa::Level, ffa::HopName handler) override { hops.emplace_back(handler.view()); }
  void on_note(ffa::Level, std::string_view message) override { notes.emplace_back(message); }
  std::vector<std::string> hops;
  std::vector<std::string> notes;
};

inline emu::RegionMemory default_memory() {
  emu::RegionMemory m;
  for (const emu::RegionSpec& spec : emu::layout::default_regions())
    m.add(spec);
  return m;
}

inline constexpr uint64_t kHostRam = emu::layout::kHostRamBase;
inline constexpr uint64_t kHypPages = emu::layout::kHypRamBase;

class PkvmTest : public ::testing::Test {
 protected:
  explicit PkvmTest(uint64_t page_size = 4096) : memory(default_memory()) {
    PkvmConfig config;
    config.page_size = page_size;
    pkvm = std::make_unique<Pkvm>(config, el3, memory);
    el3.watch(pkvm.get());
    pkvm->attach(&observer);
  }

  void install_and_finalize() {
    ASSERT_EQ(pkvm->install(1, 2), 0);
    pkvm->finalize();
    el3.clear();
    observer.hops.clear();
  }
  SmcccRegs smc(SmcccRegs in) {
    return pkvm->on_trap(emu::Trap{emu::ConduitKind::Smc, 0, 0x40000000, 1, in}).regs;
  }
  SmcccRegs hvc(SmcccRegs in) {
    return pkvm->on_trap(emu::Trap{emu::ConduitKind::Hvc, 0, 0x40000000, 1, in}).regs;
  }
  void negotiate() {
    ASSERT_EQ(smc(emu::regs(fid::kVersion, ffa::kV1_2.raw())).x[0], 0x10002u);
    el3.clear();
  }
  uint64_t page() const { return pkvm->config().page_size; }
  uint64_t ffa_pages() const { return page() / 4096; }
  // Host TX at host-ram + 0, RX at host-ram + one page.
  uint64_t host_tx() const { return kHostRam; }
  uint64_t host_rx() const { return kHostRam + page(); }
  void map_rxtx() {
    ASSERT_EQ(smc(emu::regs(fid::kRxTxMap64, host_tx(), host_rx(), ffa_pages())), ffa_ok());
    el3.clear();
  }
  void ready() {
    install_and_finalize();
    negotiate();
    map_rxtx();
  }

  emu::RegionMemory memory;
  FakeEl3 el3;
  RecordingObserver observer;
  std::unique_ptr<Pkvm> pkvm;
};

}  // namespace ffaemu::pkvm::test
