#include "emu/engine.h"

#include <iterator>

#include "emu/engine_impl.h"

namespace ffaemu::emu {

Engine::Engine(std::span<const RegionSpec> regions, EngineOptions options)
    : impl_(std::make_unique<Impl>()) {
  Impl& s = *impl_;
  check(uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &s.uc), "uc_open");
  for (const RegionSpec& spec : regions) {
    RegionMemory::Region& region = s.mem.add(spec);
    if (!spec.el1_mapped) continue;
    uint32_t prot = (spec.perms & kRead ? UC_PROT_READ : 0) |
                    (spec.perms & kWrite ? UC_PROT_WRITE : 0) |
                    (spec.perms & kExec ? UC_PROT_EXEC : 0);
    check(uc_mem_map_ptr(s.uc, spec.base, spec.size, prot, region.bytes.get()), "uc_mem_map_ptr");
  }
  Impl* self = impl_.get();
  s.mem.on_code_write = [self](uint64_t begin, uint64_t end) {
    uc_ctl_remove_cache(self->uc, begin, end);
    if (self->observer) self->observer->on_code_write(begin, end);
  };
  s.el2 = options.el2_present;
  s.write_scr();
  uc_hook h;
  check(uc_hook_add(s.uc, &h, UC_HOOK_INTR, reinterpret_cast<void*>(&Impl::intr_hook), self, 1, 0),
        "uc_hook_add(intr)");
  check(uc_hook_add(s.uc, &h, UC_HOOK_MEM_INVALID, reinterpret_cast<void*>(&Impl::invalid_hook),
                    self, 1, 0),
        "uc_hook_add(mem_invalid)");
  check(uc_context_alloc(s.uc, &s.snapshot), "uc_context_alloc");
}

Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

RegionMemory& Engine::memory() {
  return impl_->mem;
}
const RegionMemory& Engine::memory() const {
  return impl_->mem;
}

void Engine::load(uint64_t address, std::span<const uint8_t> bytes, LoadOptions options) {
  impl_->mem.write(PhysAddr{address}, bytes);
  uc_ctl_remove_cache(impl_->uc, address, address + bytes.size());
  impl_->hook_special_words(address, bytes, options.check_sp_alignment);
}

void Engine::set_trap_handler(TrapHandler* handler) {
  impl_->handler = handler;
}

void Engine::set_el2_present(bool present) {
  impl_->el2 = present;
  impl_->write_scr();
}

bool Engine::el2_present() const {
  return impl_->el2;
}

void Engine::attach(ExecObserver* observer) {
  Impl& s = *impl_;
  if (observer == nullptr && s.observer_hooks.empty()) return;
  s.remove_range_hooks();
  for (uc_hook h : s.observer_hooks)
    uc_hook_del(s.uc, h);
  s.observer_hooks.clear();
  s.observer = observer;
  if (observer) {
    uc_hook h;
    check(uc_hook_add(s.uc, &h, UC_HOOK_BLOCK, reinterpret_cast<void*>(&Impl::observe_block_hook),
                      &s, 1, 0),
          "uc_hook_add(block)");
    s.observer_hooks.push_back(h);
    check(uc_hook_add(s.uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
                      reinterpret_cast<void*>(&Impl::observe_mem_hook), &s, 1, 0),
          "uc_hook_add(mem)");
    s.observer_hooks.push_back(h);
  }
  s.flush_translations();
}

void Engine::observe_instructions(std::span<const AddressRange> ranges) {
  Impl& s = *impl_;
  if (!s.observer) throw std::logic_error("observe_instructions with no observer attached");
  std::vector<AddressRange> wanted;
  std::copy_if(ranges.begin(), ranges.end(), std::back_inserter(wanted),
               [](const AddressRange& r) { return r.end > r.begin; });
  if (wanted == s.observed) return;
  std::vector<AddressRange> dropped = std::move(s.observed);
  s.remove_range_hooks();
  for (const AddressRange& r : wanted) {
    uc_hook h;
    check(uc_hook_add(s.uc, &h, UC_HOOK_CODE, reinterpret_cast<void*>(&Impl::observe_code_hook), &s,
                      r.begin, r.end - 1),
          "uc_hook_add(code range)");
    s.range_hooks.push_back(h);
    s.observed.push_back(r);
  }
  for (const auto* set : {&dropped, &s.observed}) {
    for (const AddressRange& r : *set)
      check(uc_ctl_remove_cache(s.uc, r.begin, r.end), "uc_ctl_remove_cache");
  }
}

uint64_t Engine::reg(int index) const {
  uint64_t v = 0;
  check(uc_reg_read(impl_->uc, uc_reg_id(index), &v), "uc_reg_read");
  return v;
}

void Engine::set_reg(int index, uint64_t value) {
  check(uc_reg_write(impl_->uc, uc_reg_id(index), &value), "uc_reg_write");
}

CpuRegs Engine::cpu() const {
  CpuRegs out;
  read_regs((uint64_t{1} << kCpuRegCount) - 1, out);
  return out;
}

void Engine::read_regs(uint64_t mask, CpuRegs& into) const {
  read(prepare_read(mask, into));
}

// Unicorn stores NZCV as 32 bits: it is read into a 32-bit slot and widened, so the caller's
// 64-bit load of the register does not stall on a narrower store (and its upper half is never
// stale).
RegRead Engine::prepare_read(uint64_t mask, CpuRegs& into) const {
  constexpr int kNzcv = static_cast<int>(Reg::Nzcv);
  RegRead r;
  r.mask = mask & ((uint64_t{1} << kCpuRegCount) - 1);
  r.into = &into;
  for (uint64_t m = r.mask; m; m &= m - 1) {
    int i = __builtin_ctzll(m);
    r.ids[r.count] = uc_reg_ids[i];
    r.ptrs[r.count++] = i == kNzcv ? static_cast<void*>(&impl_->nzcv_slot) : &into.r[i];
  }
  return r;
}

void Engine::read(const RegRead& r) const {
  constexpr int kNzcv = static_cast<int>(Reg::Nzcv);
  if (r.count == 0) return;
  check(uc_reg_read_batch(impl_->uc, const_cast<int*>(r.ids.data()),
                          const_cast<void**>(r.ptrs.data()), r.count),
        "uc_reg_read_batch");
  if (r.mask & (uint64_t{1} << kNzcv)) r.into->r[kNzcv] = impl_->nzcv_slot;
}

void Engine::reset_cpu() {
  std::array<uint64_t, kCpuRegCount> zero{};
  std::array<int, kCpuRegCount> ids;
  std::array<void*, kCpuRegCount> ptrs;
  int n = 0;
  for (int i = 0; i < kCpuRegCount; ++i) {
    if (i == static_cast<int>(Reg::Sp) || i == static_cast<int>(Reg::Pc)) continue;
    ids[n] = uc_reg_id(i);
    ptrs[n++] = &zero[i];
  }
  check(uc_reg_write_batch(impl_->uc, ids.data(), ptrs.data(), n), "uc_reg_write_batch");
}

std::string Engine::disassemble_at(uint64_t address) const {
  return impl_->describe_at(address);
}

RunResult Engine::run(uint64_t entry, const RunOptions& options) {
  ++runs_;
  Impl& s = *impl_;
  std::array<int, 10> ids;
  std::array<uint64_t, 10> values;
  std::array<void*, 10> ptrs;
  int n = 0;
  for (int i = 0; i < 8; ++i) {
    if (!options.args[i]) continue;
    ids[n] = uc_reg_id(i);
    values[n] = *options.args[i];
    ++n;
  }
  uint64_t sp = options.sp.value_or(0);
  if (!options.sp) {
    const RegionSpec* stack = s.mem.by_name("stack");
    sp = stack ? stack->end() : 0;
  }
  ids[n] = UC_ARM64_REG_X30;
  values[n++] = layout::kExitAddress;
  ids[n] = UC_ARM64_REG_SP;
  values[n++] = sp;
  for (int i = 0; i < n; ++i)
    ptrs[i] = &values[i];
  check(uc_reg_write_batch(s.uc, ids.data(), ptrs.data(), n), "uc_reg_write_batch");
  // Unicorn needs PC to match `begin` before the snapshot so a replay starts at the entry.
  check(uc_reg_write(s.uc, UC_ARM64_REG_PC, &entry), "uc_reg_write(pc)");

  s.begin_run(options.precise_faults);
  if (options.precise_faults) check(uc_context_save(s.uc, s.snapshot), "uc_context_save");
  uc_err err = uc_emu_start(s.uc, entry, layout::kExitAddress, 0, options.budget);

  RunResult result;
  result.traps = s.traps;
  uc_reg_read(s.uc, UC_ARM64_REG_PC, &result.pc);
  if (s.handler_error) {
    std::exception_ptr e = s.handler_error;
    s.handler_error = nullptr;
    result.reason = StopReason::Stopped;
    if (s.observer) s.observer->on_run_end(result);
    std::rethrow_exception(e);
  }
  result = s.finish_run(err, entry, options, result);
  if (s.observer) s.observer->on_run_end(result);
  return result;
}

}  // namespace ffaemu::emu
