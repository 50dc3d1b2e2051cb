// Direct messaging for client drivers (driver.c ffa_msg_send_direct_req, ffa_msg_send_direct_req2,
// ffa_msg_send_wait_for_completion, ffa_sync_send_receive{,2}).
#include "ffa_core/linux/arm_ffa/driver.h"
#include "ffa_core/linux/arm_ffa/errmap.h"
#include "ffa_core/linux/errno.h"

namespace ffaemu::lnx {
namespace {

namespace fid = ffa::fid;

uint32_t pack_target_info(uint16_t src, uint16_t dst) {
  return uint32_t{src} << 16 | dst;
}

}  // namespace

// FFA_INTERRUPT or FFA_YIELD: run the partition again (FFA_RUN with the target info in a1).
void FfaCore::ffa_msg_send_wait_for_completion(emu::SmcccRegs& ret) {
  while (ret.x[0] == fid::kInterrupt || ret.x[0] == fid::kYield) {
    ret = invoke_ffa_fn(emu::regs(fid::kRun, ret.x[1]));
  }
}

int FfaCore::ffa_msg_send_direct_req(uint16_t src, uint16_t dst, bool mode_32bit,
                                     FfaDirectData& data) {
  const uint32_t req_id = mode_32bit ? fid::kMsgSendDirectReq : fid::kMsgSendDirectReq64;
  const uint32_t resp_id = mode_32bit ? fid::kMsgSendDirectResp : fid::kMsgSendDirectResp64;
  emu::SmcccRegs ret =
      invoke_ffa_fn(emu::regs(req_id, pack_target_info(src, dst), 0, data.data[0], data.data[1],
                              data.data[2], data.data[3], data.data[4]));
  ffa_msg_send_wait_for_completion(ret);
  if (ret.x[0] == fid::kError) return ffa_to_linux_errno(static_cast<int>(ret.x[2]));
  if (ret.x[0] == resp_id) {
    for (size_t i = 0; i < data.data.size(); ++i)
      data.data[i] = ret.x[3 + i];
    return 0;
  }
  return -kEinval;
}

int FfaCore::ffa_msg_send_direct_req2(uint16_t src, uint16_t dst, const ffa::Uuid& uuid,
                                      FfaDirectData2& data) {
  emu::SmcccRegs args =
      emu::regs(fid::kMsgSendDirectReq2, pack_target_info(src, dst), uuid.lo(), uuid.hi());
  for (size_t i = 0; i < data.data.size(); ++i)
    args.x[4 + i] = data.data[i];
  emu::SmcccRegs ret = invoke_ffa_fn(args);
  ffa_msg_send_wait_for_completion(ret);
  if (ret.x[0] == fid::kError) return ffa_to_linux_errno(static_cast<int>(ret.x[2]));
  if (ret.x[0] == fid::kMsgSendDirectResp2) {
    for (size_t i = 0; i < data.data.size(); ++i)
      data.data[i] = ret.x[4 + i];
    return 0;
  }
  return -kEinval;
}

int FfaCore::sync_send_receive(FfaDevice& dev, FfaDirectData& data) {
  return ffa_msg_send_direct_req(drv_info_->vm_id, dev.vm_id, dev.mode_32bit, data);
}

int FfaCore::sync_send_receive2(FfaDevice& dev, FfaDirectData2& data) {
  if (!drv_info_->msg_direct_req2_supp) return -kEopnotsupp;
  return ffa_msg_send_direct_req2(drv_info_->vm_id, dev.vm_id, dev.uuid, data);
}

}  // namespace ffaemu::lnx
