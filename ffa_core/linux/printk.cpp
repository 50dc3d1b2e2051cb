#include "ffa_core/linux/printk.h"

namespace ffaemu::lnx {

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Err:
      return "err";
    case LogLevel::Warn:
      return "warn";
    case LogLevel::Info:
      return "info";
    case LogLevel::Debug:
      return "debug";
  }
  return "?";
}

std::string_view boot_event_kind_name(BootEventKind kind) {
  switch (kind) {
    case BootEventKind::SetupArch:
      return "setup_arch";
    case BootEventKind::InitcallStart:
      return "initcall_start";
    case BootEventKind::InitcallEnd:
      return "initcall_end";
    case BootEventKind::ProbeStart:
      return "probe_start";
    case BootEventKind::ProbeEnd:
      return "probe_end";
    case BootEventKind::DeferredAdd:
      return "deferred_add";
    case BootEventKind::DeferredTrigger:
      return "deferred_trigger";
    case BootEventKind::DeferredRetry:
      return "deferred_retry";
    case BootEventKind::DeferredPending:
      return "deferred_pending";
    case BootEventKind::PkvmState:
      return "pkvm_state";
    case BootEventKind::FfaReady:
      return "ffa_ready";
    case BootEventKind::Log:
      return "log";
  }
  return "?";
}

void Printk::log(LogLevel level, std::string text) {
  lines_.push_back({level, text});
  event(BootEventKind::Log, std::string(log_level_name(level)), std::move(text));
}

void Printk::event(BootEventKind kind, std::string subject, std::string detail, int ret) {
  events_.push_back({kind, stage_, std::move(subject), std::move(detail), ret});
  if (observer_) observer_->on_boot_event(events_.back());
}

}  // namespace ffaemu::lnx
