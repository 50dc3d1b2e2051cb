// Tracing cost: a guest loop traced per instruction (jsonl, to a null sink and to a file) against
// the same loop under a bare Unicorn code hook in the same run (target 0.25x, tracing issue), and
// a boot with tracing off but calls recorded against one recording nothing (target 0.95x).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unicorn/unicorn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <ostream>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "cli/boot.h"
#include "emu/engine.h"
#include "emu/layout.h"
#include "ratio.h"
#include "trace/async_file.h"
#include "trace/insn_tracer.h"
#include "trace/writer.h"

namespace {

using namespace ffaemu;

constexpr uint64_t kCode = emu::layout::kCodeBase;
constexpr uint64_t kExit = emu::layout::kExitAddress;
constexpr uint64_t kLoop = 100'000;
// subs x0, x0, #1; b.ne .-4; ret
constexpr uint32_t kLoopGuest[] = {0xf1000400, 0x54ffffe1, 0xd65f03c0};

void empty_code_hook(uc_engine*, uint64_t, uint32_t, void*) {}

// The registers the tracer must read for this loop, read straight from a bare hook: after each
// subs, x0 and nzcv (one batch); after b.ne, nothing. The floor for any tracer that reports
// register deltas through Unicorn's API.
void reading_code_hook(uc_engine* uc, uint64_t address, uint32_t, void* user) {
  auto* last = static_cast<uint64_t*>(user);
  if (*last == kCode) {
    static int ids[] = {UC_ARM64_REG_X0, UC_ARM64_REG_NZCV};
    uint64_t values[2];
    void* ptrs[] = {&values[0], &values[1]};
    uc_reg_read_batch(uc, ids, ptrs, 2);
    benchmark::DoNotOptimize(values);
  }
  *last = address;
}

// The loop on a bare engine with `hook` on every instruction.
void raw_loop(benchmark::State& state, void (*hook)(uc_engine*, uint64_t, uint32_t, void*)) {
  uc_engine* uc = nullptr;
  if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK) throw std::runtime_error("uc_open");
  uc_mem_map(uc, kCode, emu::layout::kCodeSize, UC_PROT_READ | UC_PROT_EXEC);
  uc_mem_write(uc, kCode, kLoopGuest, sizeof kLoopGuest);
  uint64_t last = 0;
  uc_hook h;
  uc_hook_add(uc, &h, UC_HOOK_CODE, reinterpret_cast<void*>(hook), &last, 1, 0);
  for (auto _ : state) {
    uint64_t n = kLoop, lr = kExit;
    uc_reg_write(uc, UC_ARM64_REG_X0, &n);
    uc_reg_write(uc, UC_ARM64_REG_X30, &lr);
    uc_emu_start(uc, kCode, kExit, 0, 10 * kLoop);
  }
  uc_close(uc);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * (2 * kLoop + 1)));
}

void BM_Raw_CodeHookLoop(benchmark::State& state) {
  raw_loop(state, empty_code_hook);
}

void BM_Raw_CodeHookLoop_Reads(benchmark::State& state) {
  raw_loop(state, reading_code_hook);
}

class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

class DiscardWriter final : public trace::Writer {
 public:
  void insn(const trace::InsnEvent& e) override { benchmark::DoNotOptimize(e.deltas.size()); }
  void call(const trace::CallRecord&) override {}
  void boot(const trace::BootEvent&) override {}
  void finish() override {}
};

// A `--trace-format` name, or "discard" for the tracer alone.
std::unique_ptr<trace::Writer> make(std::string_view format, std::ostream& sink) {
  if (format == "discard") return std::make_unique<DiscardWriter>();
  return trace::make_writer(format, sink);
}

// One traced run of the loop per iteration, with a fresh writer and tracer as `ffaemu trace`
// makes them; `open` gives the sink for each run.
template <typename Open>
void traced_loop(benchmark::State& state, std::string_view format, Open open) {
  auto regions = emu::layout::default_regions();
  emu::Engine engine(regions);
  engine.load(kCode, {reinterpret_cast<const uint8_t*>(kLoopGuest), sizeof kLoopGuest});
  emu::RunOptions options;
  options.budget = 10 * kLoop;
  options.args[0] = kLoop;
  for (auto _ : state) {
    std::unique_ptr<std::ostream> sink = open();
    std::unique_ptr<trace::Writer> writer = make(format, *sink);
    trace::InsnTracer tracer(engine, *writer);
    if (!engine.run(kCode, options).exited()) throw std::runtime_error("loop did not return");
    writer->finish();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * (2 * kLoop + 1)));
}

NullBuffer null_buffer;

std::unique_ptr<std::ostream> open_null() {
  return std::make_unique<std::ostream>(&null_buffer);
}

// The tracer alone (decode cache, register deltas) feeding a writer that discards every event.
void BM_Trace_Insn_Discard(benchmark::State& state) {
  traced_loop(state, "discard", open_null);
}

void BM_Trace_Insn_Jsonl_Null(benchmark::State& state) {
  traced_loop(state, "jsonl", open_null);
}

// Every other format to the null sink, for the table in docs/trace.md ("Speed").
void BM_Trace_Insn_Format_Null(benchmark::State& state, std::string_view format) {
  traced_loop(state, format, open_null);
}

// To a file, one per run as `ffaemu trace --trace FILE` writes it (formatting on this thread,
// write(2) on the file's own), rewritten in place: a fresh file adds the file system's block
// allocation, which `dd` shows costs more than the formatting. Wall time, since the work is
// shared between two threads.
void BM_Trace_Insn_Jsonl_File(benchmark::State& state) {
  const char* dir = std::getenv("TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/ffaemu_bench_trace.jsonl";
  trace::AsyncFileBuf(path).close();
  std::unique_ptr<trace::AsyncFileBuf> file;
  traced_loop(state, "jsonl", [&] {
    file.reset();
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open " + path);
    file = std::make_unique<trace::AsyncFileBuf>(fd, path);
    return std::make_unique<std::ostream>(file.get());
  });
  file.reset();
  std::remove(path.c_str());
}

// The default boot with every call recorded (what `ffaemu run` does with no --trace).
void BM_Trace_Off(benchmark::State& state) {
  cli::Machine machine;
  cli::SystemOptions options;
  for (auto _ : state)
    benchmark::DoNotOptimize(cli::boot(options, {}, nullptr, &machine));
  state.SetItemsProcessed(state.iterations());
}

// The same boot recording nothing: the baseline for BM_Trace_Off.
void BM_Boot_Untraced(benchmark::State& state) {
  cli::Machine machine;
  cli::SystemOptions options;
  cli::SystemWiring wiring{.record_calls = false, .partitions = {}};
  for (auto _ : state)
    benchmark::DoNotOptimize(cli::boot(options, wiring, nullptr, &machine));
  state.SetItemsProcessed(state.iterations());
}

// BM_Trace_Off against BM_Boot_Untraced again, as pairs: each iteration boots once untraced and
// once recording, each timed on its own, and the ratio is of the median boot times. The two
// benchmarks above run seconds apart, and a shared VM's speed drifts by more than the 5% they
// compare; the two boots of a pair see the same machine. Which boot goes first, and which of the
// two machines each one uses, rotate over four iterations: with both boots untraced, a fixed
// order measured 0.990-0.995, the rotation 0.998-1.001.
void BM_Trace_Off_Paired(benchmark::State& state) {
  cli::Machine machines[2];
  cli::SystemOptions options;
  const cli::SystemWiring untraced{.record_calls = false, .partitions = {}};
  const cli::SystemWiring recording;
  std::vector<double> untraced_us, recording_us;
  using Clock = std::chrono::steady_clock;
  auto boot_us = [&](const cli::SystemWiring& wiring, cli::Machine& machine) {
    Clock::time_point start = Clock::now();
    benchmark::DoNotOptimize(cli::boot(options, wiring, nullptr, &machine));
    return std::chrono::duration<double, std::micro>(Clock::now() - start).count();
  };
  uint64_t phase = 0;
  for (auto _ : state) {
    cli::Machine& untraced_machine = machines[phase & 1];
    cli::Machine& recording_machine = machines[~phase & 1];
    if (phase & 2) {
      recording_us.push_back(boot_us(recording, recording_machine));
      untraced_us.push_back(boot_us(untraced, untraced_machine));
    } else {
      untraced_us.push_back(boot_us(untraced, untraced_machine));
      recording_us.push_back(boot_us(recording, recording_machine));
    }
    ++phase;
  }
  auto median = [](std::vector<double>& v) {
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    return v[v.size() / 2];
  };
  const double untraced_median = median(untraced_us);
  const double recording_median = median(recording_us);
  state.counters["untraced_us"] = untraced_median;
  state.counters["recording_us"] = recording_median;
  state.counters["ratio"] = untraced_median / recording_median;
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Raw_CodeHookLoop);
BENCHMARK(BM_Raw_CodeHookLoop_Reads);
BENCHMARK(BM_Trace_Insn_Discard);
BENCHMARK(BM_Trace_Insn_Jsonl_Null);
BENCHMARK_CAPTURE(BM_Trace_Insn_Format_Null, text, "text");
BENCHMARK_CAPTURE(BM_Trace_Insn_Format_Null, tenet, "tenet");
BENCHMARK_CAPTURE(BM_Trace_Insn_Format_Null, chrome, "chrome");
BENCHMARK_CAPTURE(BM_Trace_Insn_Format_Null, drcov, "drcov");
BENCHMARK(BM_Trace_Insn_Jsonl_File)->UseRealTime();
BENCHMARK(BM_Boot_Untraced);
BENCHMARK(BM_Trace_Off);
BENCHMARK(BM_Trace_Off_Paired);

const bool kTargets = [] {
  bench::declare(bench::RatioTarget{"BM_Trace_Insn_Jsonl_Null", "BM_Raw_CodeHookLoop", 0.25});
  bench::declare(bench::RatioTarget{"BM_Trace_Insn_Jsonl_File", "BM_Raw_CodeHookLoop", 0.25});
  bench::declare(bench::RatioTarget{"BM_Trace_Off", "BM_Boot_Untraced", 0.95});
  bench::declare(bench::CounterTarget{"BM_Trace_Off_Paired", "ratio", 0.95, 3});
  return true;
}();

}  // namespace
