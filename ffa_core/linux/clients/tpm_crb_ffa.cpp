#include "ffa_core/linux/clients/tpm_crb_ffa.h"

#include <fmt/format.h>

#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

constexpr uint16_t kCrbFfaVersionMajor = 1;
constexpr int kCrbFfaVersionMinor = 0;
// busy_timeout_ms (2000) spent in usleep_range(50, 100) steps.
constexpr int kBusyRetries = 2000 * 1000 / 100;

}  // namespace

int tpm_crb_ffa_to_linux_errno(uint32_t status) {
  switch (status) {
    case crb_ffa::kOk:
    case crb_ffa::kOkResultsReturned:
      return 0;
    case crb_ffa::kNoFunc:
      return -kEnoent;
    case crb_ffa::kNotSup:
      return -kEperm;
    case crb_ffa::kInvArg:
      return -kEinval;
    case crb_ffa::kInvCrbCtrlData:
      return -kEnoexec;
    case crb_ffa::kAlready:
      return -kEexist;
    case crb_ffa::kDenied:
      return -kEacces;
    case crb_ffa::kNoMem:
      return -kEnomem;
    default:
      return -kEinval;
  }
}

TpmCrbFfa::TpmCrbFfa(FfaCore& core, DriverCore& driver_core, FfaBus& bus, Printk& printk)
    : core_(core), driver_core_(driver_core), bus_(bus), printk_(printk) {
  driver_.name = "ffa-crb";
  driver_.id_table = {*ffa::Uuid::parse(kTpmCrbFfaUuid)};
  driver_.fprobe = [this](FfaDevice& dev) { return tpm_crb_ffa_probe(dev); };
  driver_.fremove = [this](FfaDevice&) {
    state_ = State::Unprobed;
    dev_ = nullptr;
  };
}

void TpmCrbFfa::register_initcalls(InitcallTable& table) {
  table.add({InitcallLevel::Device, "drivers/char/tpm/tpm_crb_ffa.o", "tpm_crb_ffa_driver_init",
             [this] { return ffa_driver_register(driver_core_, bus_, driver_); }});
}

// __tpm_crb_ffa_try_send_receive: DIRECT_REQ2 when the partition takes it, else DIRECT_REQ; the
// function ID goes in the first data word (x4 either way), the status comes back there.
int TpmCrbFfa::try_send_receive(uint32_t func_id, uint64_t a0, uint64_t a1, uint64_t a2,
                                uint64_t& result) {
  if (ffa_partition_supports_direct_req2_recv(*dev_)) {
    FfaDirectData2 msg;
    msg.data = {func_id, a0, a1, a2};
    int ret = core_.sync_send_receive2(*dev_, msg);
    if (!ret) ret = tpm_crb_ffa_to_linux_errno(static_cast<uint32_t>(msg.data[0]));
    result = msg.data[1];
    return ret;
  }
  FfaDirectData msg;
  msg.data = {0, func_id, a0, a1, a2};
  int ret = core_.sync_send_receive(*dev_, msg);
  if (!ret) ret = tpm_crb_ffa_to_linux_errno(static_cast<uint32_t>(msg.data[1]));
  result = msg.data[2];
  return ret;
}

int TpmCrbFfa::send_receive(uint32_t func_id, uint64_t a0, uint64_t a1, uint64_t a2,
                            uint64_t& result) {
  int ret = -kEbusy;
  for (int i = 0; i < kBusyRetries && ret == -kEbusy; ++i) {
    ret = try_send_receive(func_id, a0, a1, a2, result);
  }
  if (ret == -kEbusy) dev_printk(printk_, LogLevel::Warn, *dev_, "Busy retry timed out");
  return ret;
}

int TpmCrbFfa::tpm_crb_ffa_start(int request_type, int locality) {
  uint64_t unused = 0;
  return send_receive(crb_ffa::kStart, static_cast<uint64_t>(request_type),
                      static_cast<uint64_t>(locality), 0, unused);
}

int TpmCrbFfa::tpm_crb_ffa_probe(FfaDevice& dev) {
  if (state_ == State::Bound) return -kEexist;
  state_ = State::Failed;
  if (!ffa_partition_supports_direct_recv(dev) && !ffa_partition_supports_direct_req2_recv(dev)) {
    dev_printk(printk_, LogLevel::Warn, dev, "partition doesn't support direct message receive.");
    return -kEinval;
  }
  dev_ = &dev;
  if (!(dev.properties & kFfaPartitionAarch64Exec)) core_.mode_32bit_set(dev);

  uint64_t version = 0;
  const int rc = send_receive(crb_ffa::kGetInterfaceVersion, 0, 0, 0, version);
  if (rc) {
    dev_printk(printk_, LogLevel::Err, dev,
               fmt::format("failed to get crb interface version. rc:{}", rc));
    dev_ = nullptr;
    return -kEinval;
  }
  const auto major = static_cast<uint16_t>((version >> 16) & 0x7fff);
  const auto minor = static_cast<uint16_t>(version & 0xffff);
  dev_printk(printk_, LogLevel::Info, dev, fmt::format("ABI version {}.{}", major, minor));
  if (major != kCrbFfaVersionMajor || (minor > 0 && int{minor} < kCrbFfaVersionMinor)) {
    dev_printk(printk_, LogLevel::Warn, dev, "Incompatible ABI version");
    dev_ = nullptr;
    return -kEinval;
  }
  state_ = State::Bound;
  return 0;
}

}  // namespace ffaemu::lnx
