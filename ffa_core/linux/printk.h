// The kernel log (what dmesg shows, one line per message, with the kernel's own texts) and the boot
// events the trace layer consumes: initcalls, probe attempts, deferrals, pKVM state changes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ffaemu::lnx {

enum class LogLevel : uint8_t { Err, Warn, Info, Debug };

[[nodiscard]] std::string_view log_level_name(LogLevel level);  // "err", "warn", "info", "debug"

struct LogLine {
  LogLevel level = LogLevel::Info;
  std::string text;  // "arm-ffa arm-ffa: probe deferral not supported"
  friend bool operator==(const LogLine&, const LogLine&) = default;
};

enum class BootEventKind : uint8_t {
  SetupArch,        // subject: the setup_arch step ("psci_dt_init"), ret
  InitcallStart,    // subject: initcall name
  InitcallEnd,      // subject: initcall name, ret
  ProbeStart,       // subject: device, detail: driver
  ProbeEnd,         // subject: device, detail: driver, ret (really_probe's view: 0 or -errno)
  DeferredAdd,      // subject: device added to the pending list
  DeferredTrigger,  // driver_deferred_probe_trigger with probing enabled; ret: devices moved
  DeferredRetry,    // subject: device retried from the active list
  DeferredPending,  // subject: device still pending when the timeout expired
  PkvmState,        // detail: "installed", "finalized" or "install-failed"; ret
  FfaReady,         // detail: the variant; the FF-A core's bring-up succeeded
  Log,              // detail: the log text
};

[[nodiscard]] std::string_view boot_event_kind_name(BootEventKind kind);

struct BootEvent {
  BootEventKind kind = BootEventKind::Log;
  std::string level;  // initcall level macro name in force, "setup_arch" or "after_initcalls"
  std::string subject;
  std::string detail;
  int ret = 0;
};

class BootObserver {
 public:
  virtual ~BootObserver() = default;
  virtual void on_boot_event(const BootEvent& event) = 0;
};

// printk plus the event journal. Every message also becomes a Log event, so a trace interleaves
// the log with initcalls and probes in the order they happened.
class Printk {
 public:
  void attach(BootObserver* observer) { observer_ = observer; }
  void set_stage(std::string stage) { stage_ = std::move(stage); }
  [[nodiscard]] const std::string& stage() const { return stage_; }

  void log(LogLevel level, std::string text);
  void event(BootEventKind kind, std::string subject, std::string detail = {}, int ret = 0);

  [[nodiscard]] const std::vector<LogLine>& lines() const { return lines_; }
  [[nodiscard]] const std::vector<BootEvent>& events() const { return events_; }

 private:
  BootObserver* observer_ = nullptr;
  std::string stage_ = "setup_arch";
  std::vector<LogLine> lines_;
  std::vector<BootEvent> events_;
};

}  // namespace ffaemu::lnx
