// Full-path calls: the EL1 trampoline in Unicorn, then EL3 and the SPMC (and pKVM's proxy at EL2),
// and back. Targets: BM_Conduit_Spmc_* at least 0.7x BM_RawTrampoline (firmware issue),
// BM_Conduit_Pkvm_* at least 0.6x (pKVM issue). BM_RawTrampoline is measured in the same run.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "cli/app.h"
#include "cli/boot.h"
#include "cli/system.h"
#include "ffa_core/abi/ffa.h"
#include "ratio.h"

namespace {

using namespace ffaemu;

constexpr uint64_t kTx = 0x80000000, kRx = 0x80010000;

emu::SmcccRegs call(emu::Conduit& c, emu::SmcccRegs in) {
  emu::SmcccRegs out = c.invoke(in);
  if (out.w(0) == ffa::fid::kError) throw std::runtime_error("benchmark set-up call failed");
  return out;
}

// A booted system with FF-A v1.2 negotiated and (optionally) RX/TX mapped, recording off.
struct Booted {
  explicit Booted(bool pkvm, bool map_buffers)
      : system(options(pkvm), {.record_calls = false, .partitions = {}}) {
    if (system.install_and_finalize_pkvm() != 0) throw std::runtime_error("pKVM install failed");
    call(system.conduit(), emu::regs(ffa::fid::kVersion, 0x10002));
    if (map_buffers) call(system.conduit(), emu::regs(ffa::fid::kRxTxMap64, kTx, kRx, 1));
  }
  static cli::SystemOptions options(bool pkvm) {
    cli::SystemOptions o;
    (void)o.set("pkvm", pkvm ? "on" : "off");
    return o;
  }
  cli::System system;
};

void BM_Conduit_Spmc_Version(benchmark::State& state) {
  Booted b(false, false);
  emu::SmcccRegs in = emu::regs(ffa::fid::kVersion, 0x10002);
  for (auto _ : state)
    benchmark::DoNotOptimize(b.system.conduit().invoke(in));
  state.SetItemsProcessed(state.iterations());
}

void BM_Conduit_Spmc_IdGet(benchmark::State& state) {
  Booted b(false, false);
  emu::SmcccRegs in = emu::regs(ffa::fid::kIdGet);
  for (auto _ : state)
    benchmark::DoNotOptimize(b.system.conduit().invoke(in));
  state.SetItemsProcessed(state.iterations());
}

// PARTITION_INFO_GET fills RX and hands it to the caller; RX_RELEASE gives it back. Two calls
// per iteration, counted as two items so the rate is per call.
void partition_info_loop(benchmark::State& state, bool pkvm) {
  Booted b(pkvm, true);
  emu::Conduit& c = b.system.conduit();
  emu::SmcccRegs get = emu::regs(ffa::fid::kPartitionInfoGet);
  emu::SmcccRegs release = emu::regs(ffa::fid::kRxRelease);
  for (auto _ : state) {
    benchmark::DoNotOptimize(c.invoke(get));
    benchmark::DoNotOptimize(c.invoke(release));
  }
  state.SetItemsProcessed(2 * state.iterations());
}

void BM_Conduit_Spmc_PartitionInfoGet(benchmark::State& state) {
  partition_info_loop(state, false);
}
void BM_Conduit_Pkvm_PartitionInfoGet(benchmark::State& state) {
  partition_info_loop(state, true);
}

void BM_Conduit_Pkvm_Forwarded(benchmark::State& state) {
  Booted b(true, false);
  emu::SmcccRegs in = emu::regs(ffa::fid::kIdGet);
  for (auto _ : state)
    benchmark::DoNotOptimize(b.system.conduit().invoke(in));
  state.SetItemsProcessed(state.iterations());
}

// One complete boot of the default system (platform-driver, pKVM on) on a reused Machine, reset
// between boots. Reports boots/s and FF-A calls per boot; items are the calls, so the per-call
// rate compares with BM_RawTrampoline.
void BM_Boot_Default(benchmark::State& state) {
  cli::Machine machine;
  cli::SystemOptions options;
  cli::SystemWiring wiring{.record_calls = false, .partitions = {}};
  uint64_t calls = 0;
  for (auto _ : state) {
    cli::BootRun run = cli::boot(options, wiring, nullptr, &machine);
    if (!run.result.ffa_ready) throw std::runtime_error("default boot did not bring FF-A up");
    benchmark::DoNotOptimize(run);
  }
  // A recorded boot counts the guest calls (EL2's own calls excluded).
  cli::BootRun recorded = cli::boot(options, {}, nullptr, &machine);
  for (const trace::CallRecord& c : recorded.calls)
    calls += c.from == ffa::Level::El1;
  state.counters["boots_per_s"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["calls_per_boot"] = static_cast<double>(calls);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * calls));
}

// The shipped matrix (`ffaemu matrix --jobs 2`), reported as combinations per second. Target:
// the whole matrix (at least 1,000 combinations) in under a second of wall time.
void BM_Matrix_Full(benchmark::State& state) {
  std::ostringstream out, err;
  for (auto _ : state) {
    out.str("");
    if (cli::ffaemu_main({"matrix", "--jobs", "2", "--json"}, out, err) != cli::kExitOk) {
      throw std::runtime_error("the shipped matrix has failures");
    }
  }
  std::string text = out.str();
  auto combinations = std::count(text.begin(), text.end(), '\n');
  state.counters["combinations"] = static_cast<double>(combinations);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * combinations));
}

BENCHMARK(BM_Conduit_Spmc_Version);
BENCHMARK(BM_Conduit_Spmc_IdGet);
BENCHMARK(BM_Conduit_Spmc_PartitionInfoGet);
BENCHMARK(BM_Conduit_Pkvm_PartitionInfoGet);
BENCHMARK(BM_Conduit_Pkvm_Forwarded);
BENCHMARK(BM_Boot_Default);
BENCHMARK(BM_Matrix_Full)->UseRealTime()->Unit(benchmark::kMillisecond);

const bool kTargets = [] {
  for (const char* name :
       {"BM_Conduit_Spmc_Version", "BM_Conduit_Spmc_IdGet", "BM_Conduit_Spmc_PartitionInfoGet"}) {
    bench::declare(bench::RatioTarget{name, "BM_RawTrampoline", 0.7});
  }
  for (const char* name : {"BM_Conduit_Pkvm_PartitionInfoGet", "BM_Conduit_Pkvm_Forwarded"}) {
    bench::declare(bench::RatioTarget{name, "BM_RawTrampoline", 0.6});
  }
  bench::declare(bench::CounterTarget{"BM_Boot_Default", "boots_per_s", 10000});
  // Per-call cost of a boot against the bare trampoline: reported, no target in the issue.
  bench::declare(bench::RatioTarget{"BM_Boot_Default", "BM_RawTrampoline", 0.0});
  return true;
}();

}  // namespace
