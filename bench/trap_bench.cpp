// Trap round trips: raw Unicorn baselines written directly against the C API, and the same work
// through emu's Engine and GuestConduit. Targets (foundation issue): BM_Conduit_Trampoline at least
// 0.8x BM_RawTrampoline; BM_RawTrap_FullRegs above 2 M round trips/s.
#include <benchmark/benchmark.h>
#include <unicorn/unicorn.h>

#include <array>
#include <cstring>
#include <stdexcept>

#include "emu/conduit.h"
#include "emu/layout.h"
#include "guest_images/assembler.h"
#include "ratio.h"

namespace {

using namespace ffaemu;

constexpr uint64_t kCode = emu::layout::kCodeBase;
constexpr uint64_t kData = emu::layout::kDataBase;
constexpr uint64_t kStackTop = emu::layout::kStackBase + emu::layout::kStackSize;
constexpr uint64_t kExit = emu::layout::kExitAddress;
constexpr uint32_t kSmcRet[] = {0xd4000003, 0xd65f03c0};  // smc #0; ret

void ok(uc_err err) {
  if (err != UC_ERR_OK) throw std::runtime_error(uc_strerror(err));
}

// A bare engine with the same map and SCR_EL3 as emu::Engine, and the exit address placed the
// same way (emulation-tech.md section 1.8).
struct RawEngine {
  uc_engine* uc = nullptr;
  RawEngine() {
    ok(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc));
    uc_arm64_cp_reg scr{};
    scr.crn = 1;
    scr.crm = 1;
    scr.op0 = 3;
    scr.op1 = 6;
    scr.val = 0x501;
    ok(uc_reg_write(uc, UC_ARM64_REG_CP_REG, &scr));
    ok(uc_mem_map(uc, kCode, emu::layout::kCodeSize, UC_PROT_READ | UC_PROT_EXEC));
    ok(uc_mem_map(uc, kData, emu::layout::kDataSize, UC_PROT_READ | UC_PROT_WRITE));
    ok(uc_mem_map(uc, emu::layout::kStackBase, emu::layout::kStackSize,
                  UC_PROT_READ | UC_PROT_WRITE));
    uint64_t sp = kStackTop;
    ok(uc_reg_write(uc, UC_ARM64_REG_SP, &sp));
  }
  ~RawEngine() { uc_close(uc); }
  void load(const void* bytes, size_t n) { ok(uc_mem_write(uc, kCode, bytes, n)); }
  void hook(void* callback, void* user) {
    uc_hook h;
    ok(uc_hook_add(uc, &h, UC_HOOK_INTR, callback, user, 1, 0));
  }
};

std::array<int, 18> x_ids() {
  std::array<int, 18> ids;
  for (int i = 0; i < 18; ++i)
    ids[i] = UC_ARM64_REG_X0 + i;
  return ids;
}

void empty_hook(uc_engine*, uint32_t, void*) {}

void BM_RawTrap_EmptyHook(benchmark::State& state) {
  RawEngine raw;
  raw.load(kSmcRet, sizeof kSmcRet);
  raw.hook(reinterpret_cast<void*>(&empty_hook), nullptr);
  uint64_t lr = kExit;
  ok(uc_reg_write(raw.uc, UC_ARM64_REG_X30, &lr));
  for (auto _ : state)
    ok(uc_emu_start(raw.uc, kCode, kExit, 0, 1000));
  state.SetItemsProcessed(state.iterations());
}

// Reads x0-x17 in one batch and writes four results, like a model answering an SMC32 call.
void full_regs_hook(uc_engine* uc, uint32_t, void*) {
  static std::array<int, 18> ids = x_ids();
  std::array<uint64_t, 18> x;
  std::array<void*, 18> p;
  for (int i = 0; i < 18; ++i)
    p[i] = &x[i];
  uc_reg_read_batch(uc, ids.data(), p.data(), 18);
  x[0] = 0x84000061;
  x[1] = 0;
  x[2] = x[1] + 1;
  x[3] = 0;
  uc_reg_write_batch(uc, ids.data(), p.data(), 4);
}

void BM_RawTrap_FullRegs(benchmark::State& state) {
  RawEngine raw;
  raw.load(kSmcRet, sizeof kSmcRet);
  raw.hook(reinterpret_cast<void*>(&full_regs_hook), nullptr);
  std::array<int, 9> in_ids;
  std::array<uint64_t, 9> in{0x84000063, 0x10002, 0, 0, 0, 0, 0, 0, kExit};
  std::array<void*, 9> in_p;
  for (int i = 0; i < 8; ++i)
    in_ids[i] = UC_ARM64_REG_X0 + i;
  in_ids[8] = UC_ARM64_REG_X30;
  for (int i = 0; i < 9; ++i)
    in_p[i] = &in[i];
  std::array<uint64_t, 4> out;
  std::array<void*, 4> out_p{&out[0], &out[1], &out[2], &out[3]};
  auto ids = x_ids();
  for (auto _ : state) {
    ok(uc_reg_write_batch(raw.uc, in_ids.data(), in_p.data(), 9));
    ok(uc_emu_start(raw.uc, kCode, kExit, 0, 1000));
    ok(uc_reg_read_batch(raw.uc, ids.data(), out_p.data(), 4));
    benchmark::DoNotOptimize(out);
  }
  state.SetItemsProcessed(state.iterations());
}

guest::Image trampoline() {
  return guest::assemble_builtin("smccc_trampoline", kCode);
}

// Echoes x0-x17: one batch read, one batch write, as the minimal C handler for a trampoline.
void echo_hook(uc_engine* uc, uint32_t, void*) {
  static std::array<int, 18> ids = x_ids();
  std::array<uint64_t, 18> x;
  std::array<void*, 18> p;
  for (int i = 0; i < 18; ++i)
    p[i] = &x[i];
  uc_reg_read_batch(uc, ids.data(), p.data(), 18);
  x[0] = ~x[0];
  uc_reg_write_batch(uc, ids.data(), p.data(), 18);
}

void BM_RawTrampoline(benchmark::State& state) {
  RawEngine raw;
  guest::Image image = trampoline();
  raw.load(image.bytes.data(), image.bytes.size());
  raw.hook(reinterpret_cast<void*>(&echo_hook), nullptr);
  uint64_t entry = image.symbol("arm_smccc_1_2_smc");
  std::array<uint64_t, 18> args{}, results{};
  args[0] = 0x84000063;
  args[1] = 0x10002;
  std::array<int, 4> ids{UC_ARM64_REG_X0, UC_ARM64_REG_X1, UC_ARM64_REG_X30, UC_ARM64_REG_SP};
  std::array<uint64_t, 4> v{kData, kData + 144, kExit, kStackTop};
  std::array<void*, 4> p{&v[0], &v[1], &v[2], &v[3]};
  for (auto _ : state) {
    ok(uc_mem_write(raw.uc, kData, args.data(), sizeof args));
    ok(uc_reg_write_batch(raw.uc, ids.data(), p.data(), 4));
    ok(uc_emu_start(raw.uc, entry, kExit, 0, 10000));
    ok(uc_mem_read(raw.uc, kData + 144, results.data(), sizeof results));
    benchmark::DoNotOptimize(results);
  }
  state.SetItemsProcessed(state.iterations());
}

class EchoHandler : public emu::TrapHandler {
 public:
  emu::TrapReply on_trap(const emu::Trap& trap) override {
    emu::TrapReply reply{trap.regs};
    reply.regs.x[0] = ~reply.regs.x[0];
    return reply;
  }
};

void BM_Conduit_Trampoline(benchmark::State& state) {
  auto regions = emu::layout::default_regions();
  emu::Engine engine(regions);
  guest::Image image = trampoline();
  engine.load(image.base, image.bytes, {.check_sp_alignment = false});
  EchoHandler echo;
  engine.set_trap_handler(&echo);
  emu::GuestConduit conduit(engine, emu::ConduitKind::Smc,
                            {image.symbol("arm_smccc_1_2_smc"), image.symbol("arm_smccc_1_2_hvc")},
                            kData);
  emu::SmcccRegs in = emu::regs(0x84000063, 0x10002);
  for (auto _ : state)
    benchmark::DoNotOptimize(conduit.invoke(in));
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_RawTrap_EmptyHook);
BENCHMARK(BM_RawTrap_FullRegs);
BENCHMARK(BM_RawTrampoline);
BENCHMARK(BM_Conduit_Trampoline);

const bool kTargets = [] {
  bench::declare(bench::RatioTarget{"BM_Conduit_Trampoline", "BM_RawTrampoline", 0.8});
  bench::declare(bench::RateTarget{"BM_RawTrap_FullRegs", 2e6});
  return true;
}();

}  // namespace
