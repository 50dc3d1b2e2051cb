#include "cli/system.h"

#include "emu/layout.h"

namespace ffaemu::cli {
namespace {

// Room for a boot's calls (the default boot makes 30), reserved once so the buffer is recycled.
constexpr size_t kRecordsPerBoot = 64;

fw::FirmwareConfig firmware_config(const SystemOptions& options, const SystemWiring& wiring) {
  fw::FirmwareConfig config = options.firmware();
  if (wiring.partitions) config.partitions = *wiring.partitions;
  return config;
}

Machine& ready(Machine* given, std::unique_ptr<Machine>& own, bool el2_present) {
  if (!given) {
    own = std::make_unique<Machine>();
    given = own.get();
  }
  given->reset(el2_present);
  return *given;
}

}  // namespace

System::System(const SystemOptions& options, SystemWiring wiring, Machine* machine)
    : options_(options),
      machine_(ready(machine, own_machine_, options.pkvm())),
      firmware_(firmware_config(options, wiring), machine_.engine().memory()),
      el2_tap_(recorder_, ffa::Level::El2, firmware_) {
  emu::TrapHandler* el2_to_el3 = &firmware_;
  if (wiring.record_calls) {
    recorder_.reserve(kRecordsPerBoot);
    firmware_.attach(&recorder_);
    el2_to_el3 = &el2_tap_;
  }
  emu::TrapHandler* host = &firmware_;
  if (options.pkvm()) {
    pkvm::PkvmConfig config;
    config.page_size = options.page_size();
    pkvm_.emplace(config, *el2_to_el3, machine_.engine().memory());
    if (wiring.record_calls) pkvm_->attach(&recorder_);
    host = &*pkvm_;
  }
  if (wiring.record_calls) {
    el1_tap_.emplace(recorder_, ffa::Level::El1, *host);
    host = &*el1_tap_;
  }
  machine_.engine().set_trap_handler(host);
}

System::~System() {
  machine_.engine().set_trap_handler(nullptr);
}

int System::install_and_finalize_pkvm() {
  if (!pkvm_) return 0;
  fw::SmcccVersion v = options_.firmware().smccc;
  int ret = pkvm_->install(v.major, v.minor);
  pkvm_->finalize();
  return ret;
}

emu::RunResult System::run_guest(const guest::Image& image, uint64_t entry) {
  machine_.engine().load(image.base, image.bytes);
  return machine_.engine().run(entry);
}

}  // namespace ffaemu::cli
