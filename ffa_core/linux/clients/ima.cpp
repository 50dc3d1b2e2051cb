#include "ffa_core/linux/clients/ima.h"

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

constexpr const char* kImaObject = "security/integrity/ima/ima_main.o";
constexpr int kBootAggregatePcrs = 10;  // TPM 2.0: PCRs 0-9 (ima_calc_boot_aggregate_tfm)

}  // namespace

void Ima::register_initcalls(InitcallTable& table) {
  table.add({InitcallLevel::Late, kImaObject, "init_ima",
             [this] { return init_ima(mode_ == ImaMode::Late); }});
  if (mode_ == ImaMode::LateSyncRetry) {
    table.add({InitcallLevel::LateSync, kImaObject, "init_ima_late_sync",
               [this] { return state_ == State::Bypass ? init_ima(true) : 0; }});
  }
}

// tpm_transmit through tpm_crb: the command is in the CRB, START tells the TPM service.
int Ima::tpm_command() {
  ++commands_;
  return tpm_.tpm_crb_ffa_start(crb_ffa::kStartTypeCommand, 0);
}

void Ima::ima_add_boot_aggregate() {
  state_ = State::Tpm;
  for (int pcr = 0; pcr < kBootAggregatePcrs; ++pcr) {
    if (tpm_command()) {
      printk_.log(LogLevel::Err, "ima: Error Communicating to TPM chip");
      state_ = State::Failed;
    }
  }
  const int result = tpm_command();  // ima_pcr_extend of CONFIG_IMA_MEASURE_PCR_IDX (10)
  if (result) {
    printk_.log(LogLevel::Err,
                fmt::format("ima: Error Communicating to TPM chip, result: {}", result));
    state_ = State::Failed;
  }
}

int Ima::init_ima(bool last_chance) {
  if (tpm_.state() != TpmCrbFfa::State::Bound) {
    if (!last_chance) return -kEprobeDefer;
    printk_.log(LogLevel::Info, "ima: No TPM chip found, activating TPM-bypass!");
    state_ = State::Bypass;
    return 0;
  }
  ima_add_boot_aggregate();
  return 0;
}

}  // namespace ffaemu::lnx
