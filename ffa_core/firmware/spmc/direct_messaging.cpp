// Direct messaging from the NS instance (DEN0077 v1.2 chapter 15): FFA_MSG_SEND_DIRECT_REQ(_64),
// FFA_MSG_SEND_DIRECT_REQ2 and the responses, and FFA_RUN. Hafnium api_ffa_msg_send_direct_req,
// TF-A el3_spmc direct_req_smc_handler/direct_resp_smc_handler/ffa_run_handler. Partitions run to
// completion: the target's service answers at once, so no request is ever outstanding.
#include "ffa_core/firmware/spmc/spmc.h"

namespace ffaemu::fw {
namespace {

struct DirectReqCall {
  EndpointId src;
  EndpointId dst;
  uint64_t flags;  // w2/x2: 0 for a partition message
};

// The target's own FF-A instance while it handles the request.
class PartitionInstance final : public PartitionFfa {
 public:
  PartitionInstance(Spmc& spmc, EndpointId id) : spmc_(spmc), id_(id) {}
  std::optional<FfaError> mem_retrieve(uint64_t handle) override {
    return spmc_.partition_retrieve(id_, handle);
  }
  std::optional<FfaError> mem_relinquish(uint64_t handle) override {
    return spmc_.partition_relinquish(id_, handle);
  }

 private:
  Spmc& spmc_;
  EndpointId id_;
};

// "sp:tpm@0x8001", made without fmt: it is made on every traced boot, and fmt's code is cold
// in the instruction cache by then.
ffa::HopName partition_hop(const PartitionConfig& config) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string name = "sp:" + config.service + "@0x";
  for (int shift = 12; shift >= 0; shift -= 4)
    name += kHex[(config.id.value() >> shift) & 0xf];
  return ffa::HopName::keep(name);
}

DirectReqCall decode_ids(const SmcccRegs& in) {
  const bool smc64 = in.function_id().smc64();
  return {EndpointId{static_cast<uint16_t>(in.w(1) >> 16)},
          EndpointId{static_cast<uint16_t>(in.w(1) & 0xffff)}, smc64 ? in.x[2] : in.w(2)};
}

}  // namespace

Reply Spmc::msg_send_direct_req(const SmcccRegs& in) {
  const DirectReqCall call = decode_ids(in);
  auto invalid = [&](std::string_view why) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ: {} ({} -> {})", why, call.src, call.dst));
    return ffa_error(FfaError::InvalidParameters);
  };
  if (call.flags != 0) return invalid(fmt::format("w2 {:#x} must be 0", call.flags));
  // TF-A accepts any NS source ID from the NS instance; Hafnium wants the caller's own.
  if (hafnium() ? call.src != ffa::kHostId : call.src.secure()) return invalid("bad source ID");
  if (call.src == call.dst) return invalid("source and destination are the same");
  Partition* target = find_partition(call.dst);
  if (target == nullptr) return invalid("no such partition");
  if ((target->config.properties & props::kDirectReqRecv) == 0) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ: {} does not receive direct requests", call.dst));
    return ffa_error(FfaError::Denied);
  }
  return deliver_direct_request(in, *target, false);
}

Reply Spmc::msg_send_direct_req2(const SmcccRegs& in) {
  const DirectReqCall call = decode_ids(in);
  const ffa::Uuid uuid = ffa::Uuid::from_halves(in.x[2], in.x[3]);
  auto invalid = [&](std::string_view why) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ2: {} ({} -> {})", why, call.src, call.dst));
    return ffa_error(FfaError::InvalidParameters);
  };
  if (hafnium() ? call.src != ffa::kHostId : call.src.secure()) return invalid("bad source ID");
  if (call.src == call.dst) return invalid("source and destination are the same");
  Partition* target = find_partition(call.dst);
  if (target == nullptr) return invalid("no such partition");
  // Hafnium delivers a Nil UUID to the partition and refuses a UUID the partition lacks; TF-A
  // does not look at x2/x3.
  if (hafnium() && !uuid.nil() && uuid != target->config.uuid) {
    return invalid(fmt::format("partition has no service {}", uuid));
  }
  if ((target->config.properties & props::kDirectReq2Recv) == 0) {
    note(fmt::format("FFA_MSG_SEND_DIRECT_REQ2: {} does not receive REQ2", call.dst));
    return ffa_error(FfaError::Denied);
  }
  return deliver_direct_request(in, *target, true);
}

// The target answers with the response of the request's width: DIRECT_RESP (w3-w7 or x3-x7, with
// x8-x17 zero for v1.2) or DIRECT_RESP2 (x4-x17).
Reply Spmc::deliver_direct_request(const SmcccRegs& in, Partition& target, bool req2) {
  const bool smc64 = in.function_id().smc64();
  MessageRegs msg;
  for (int n = req2 ? 4 : 3; n <= (req2 ? 17 : 7); ++n)
    msg.set(n, smc64 ? in.x[n] : in.w(n));
  if (sink_.attached()) {
    if (target.hop.empty()) target.hop = partition_hop(target.config);
    sink_.hop(ffa::Level::SEl1, target.hop);
  }
  PartitionInstance instance(*this, target.config.id);
  target.service->on_direct_request(msg, instance);
  SmcccRegs out;
  out.x[0] = req2 ? ffa::fid::kMsgSendDirectResp2
                  : (smc64 ? ffa::fid::kMsgSendDirectResp64 : ffa::fid::kMsgSendDirectResp);
  out.x[1] = (uint32_t{target.config.id.value()} << 16) | (in.w(1) >> 16);
  for (int n = req2 ? 4 : 3; n <= (req2 ? 17 : 7); ++n) {
    out.x[n] = smc64 ? msg.x(n) : static_cast<uint32_t>(msg.x(n));
  }
  return ret(smc64 ? 18 : 8, out);
}

Reply Spmc::msg_send_direct_resp(const SmcccRegs& in) {
  if (!hafnium()) {
    // TF-A direct_resp_smc_handler: responses are only accepted from the secure world.
    note(fmt::format("FFA_MSG_SEND_DIRECT_RESP: {:#x} from the normal world", in.w(1)));
    return ffa_error(FfaError::InvalidParameters);
  }
  note("FFA_MSG_SEND_DIRECT_RESP: the normal world has no direct request outstanding");
  return ffa_error(FfaError::Denied);
}

// FFA_RUN: an idle partition runs, finds no work and gives the CPU back with FFA_MSG_WAIT, which
// the SPMD relays to the normal world.
Reply Spmc::run(const SmcccRegs& in) {
  const EndpointId target_id{static_cast<uint16_t>(in.w(1) >> 16)};
  const uint16_t vcpu = in.w(1) & 0xffff;
  const Partition* target = target_id.secure() ? partition(target_id) : nullptr;
  if (target == nullptr) {
    note(fmt::format("FFA_RUN: {} is not a secure partition", target_id));
    return ffa_error(FfaError::InvalidParameters);
  }
  // Hafnium indexes the partition's vCPUs; TF-A runs the context of the current core (core 0).
  const bool bad_vcpu = hafnium() ? vcpu >= target->config.exec_contexts : vcpu != 0;
  if (bad_vcpu) {
    note(fmt::format("FFA_RUN: {} has no vCPU {} to run here", target_id, vcpu));
    return ffa_error(FfaError::InvalidParameters);
  }
  return ret(8, emu::regs(ffa::fid::kMsgWait));
}

}  // namespace ffaemu::fw
