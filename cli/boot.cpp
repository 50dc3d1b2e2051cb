#include "cli/boot.h"

#include <span>

#include "ffa_core/linux/kvm/pkvm_hypervisor.h"
#include "trace/call_json.h"

namespace ffaemu::cli {
namespace {

// Remembers, for every boot event, how many calls had started before it, and passes the event
// on to a trace when there is one.
class TimelineObserver final : public lnx::BootObserver {
 public:
  TimelineObserver(const trace::CallRecorder& recorder, lnx::BootObserver* next)
      : recorder_(recorder), next_(next) {}
  void on_boot_event(const lnx::BootEvent& event) override {
    calls_before.push_back(recorder_.records().size());
    if (next_) next_->on_boot_event(event);
  }
  std::vector<size_t> calls_before;

 private:
  const trace::CallRecorder& recorder_;
  lnx::BootObserver* next_;
};

}  // namespace

std::vector<TimelineItem> timeline(const BootRun& run) {
  const std::vector<size_t>& calls_before = run.calls_before;
  std::span<const trace::CallRecord> calls = run.calls;
  std::vector<TimelineItem> out;
  out.reserve(calls_before.size() + calls.size());
  size_t next_call = 0;
  auto emit_calls_until = [&](size_t end) {
    for (; next_call < end; ++next_call) {
      if (calls[next_call].depth == 0) out.push_back({TimelineItem::Kind::Call, next_call});
    }
  };
  for (size_t e = 0; e < calls_before.size(); ++e) {
    emit_calls_until(calls_before[e]);
    out.push_back({TimelineItem::Kind::Event, e});
  }
  emit_calls_until(calls.size());
  return out;
}

lnx::KernelConfig kernel_config(const SystemOptions& options) {
  lnx::KernelConfig config;
  config.conduit = options.conduit();
  config.pkvm = options.pkvm();
  config.driver = *lnx::parse_variant(options.get("driver"));
  config.link_order = *lnx::parse_link_order(options.get("link-order"));
  config.page_size = options.page_size();
  config.ima = *lnx::parse_ima_mode(options.get("ima"));
  return config;
}

BootRun boot(const SystemOptions& options, const SystemWiring& wiring, const BootTracing* tracing,
             Machine* machine) {
  System system(options, wiring, machine);
  std::unique_ptr<lnx::PkvmHypervisor> hypervisor;
  if (system.pkvm()) hypervisor = std::make_unique<lnx::PkvmHypervisor>(*system.pkvm());
  std::optional<TraceSession> session;
  if (tracing) session.emplace(tracing->args, system, *tracing->out, tracing->color);
  TimelineObserver observer(system.recorder(), session ? &*session : nullptr);
  lnx::KernelDeps deps{system.conduit(emu::ConduitKind::Smc),
                       system.conduit(emu::ConduitKind::Hvc),
                       system.engine().memory(),
                       hypervisor.get(),
                       emu::layout::kHostRamBase,
                       emu::layout::kHostRamSize};
  lnx::Kernel kernel(kernel_config(options), deps, &observer);
  BootRun run;
  run.options = options;
  try {
    run.result = kernel.boot();
  } catch (const emu::ConduitError& e) {
    // The kernel executed an smc/hvc the machine cannot take: an oops, then a panic.
    const emu::Fault* f = e.result().fault ? &*e.result().fault : nullptr;
    run.result = kernel.panic(f ? f->message() : e.what());
  }
  if (session) session->finish();
  run.log = kernel.log();
  run.events = kernel.events();
  run.calls = system.recorder().take_records();
  run.calls_before = std::move(observer.calls_before);
  return run;
}

nlohmann::ordered_json outcome_json(const lnx::BootResult& r) {
  return {
      {"ffa_ready", r.ffa_ready},
      {"ready_at",
       r.ready_at ? nlohmann::ordered_json(*r.ready_at) : nlohmann::ordered_json(nullptr)},
      {"probe_error",
       r.probe_error ? nlohmann::ordered_json(*r.probe_error) : nlohmann::ordered_json(nullptr)},
      {"partitions", r.partitions},
      {"consumers",
       {{"tpm", std::string(lnx::tpm_state_name(r.tpm))},
        {"ima", std::string(lnx::ima_state_name(r.ima))}}},
      {"panicked", r.panic.has_value()},
  };
}

nlohmann::ordered_json system_json(const SystemOptions& options) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const auto& [name, value] : options.values())
    out[name] = value;
  return out;
}

nlohmann::ordered_json run_json(const BootRun& run) {
  nlohmann::ordered_json initcalls = nlohmann::ordered_json::array();
  for (const lnx::InitcallRecord& i : run.result.initcalls) {
    initcalls.push_back({{"level", std::string(lnx::initcall_level_name(i.level))},
                         {"name", i.name},
                         {"ret", i.ret}});
  }
  nlohmann::ordered_json log = nlohmann::ordered_json::array();
  for (const lnx::LogLine& l : run.log) {
    log.push_back({{"level", std::string(lnx::log_level_name(l.level))}, {"text", l.text}});
  }
  return {{"system", system_json(run.options)},
          {"outcome", outcome_json(run.result)},
          {"initcalls", initcalls},
          {"calls", trace::calls_json(run.calls)},
          {"log", log}};
}

}  // namespace ffaemu::cli
