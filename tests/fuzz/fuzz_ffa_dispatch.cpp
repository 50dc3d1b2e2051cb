// FuzzFfaDispatch: arbitrary x0-x17 sequences from EL1 into the whole firmware stack, with and
// without pKVM, in both SPMC personas. Every reply must be a form the spec allows, and the models'
// invariants must hold after every call.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "emu/layout.h"
#include "ffa_core/abi/catalog.h"
#include "ffa_core/firmware/el3.h"
#include "ffa_core/pkvm/pkvm.h"

namespace {

using namespace ffaemu;

[[noreturn]] void violation(const char* what, const emu::SmcccRegs& in, const emu::SmcccRegs& out) {
  std::fprintf(stderr,
               "FuzzFfaDispatch: %s: in x0=%#lx x1=%#lx x2=%#lx x3=%#lx -> out x0=%#lx x2=%#lx\n",
               what, (unsigned long)in.x[0], (unsigned long)in.x[1], (unsigned long)in.x[2],
               (unsigned long)in.x[3], (unsigned long)out.x[0], (unsigned long)out.x[2]);
  std::abort();
}

// The reply forms DEN0028/DEN0077 allow for the call that was made, plus the one deviation the
// real stack produces: pKVM adopting an FFA_VERSION request with bit 31 set (the SPMD's 32-bit
// NOT_SUPPORTED escapes its 64-bit compare; integration_test.cpp in tests/ffa_core/pkvm).
bool allowed_reply(const emu::SmcccRegs& in, const emu::SmcccRegs& out, const pkvm::Pkvm* hyp) {
  // The SMCCC 1.3 SVE hint (bit 16) does not change the call.
  uint32_t id = emu::FunctionId(in.w(0)).without_sve_hint().raw(), w0 = out.w(0);
  if (hyp && id == ffa::fid::kVersion && w0 == hyp->hyp_ffa_version()) return true;
  if (out.x[0] == emu::kSmcUnknown || w0 == 0xffffffff) return true;  // SMC_UNK / NOT_SUPPORTED
  if (id == ffa::fid::kVersion || id == ffa::fid::kSmcccVersion || id == ffa::fid::kPsciVersion) {
    return (w0 >> 31) == 0;
  }
  if (w0 == ffa::fid::kError) return ffa::error_from_code(out.w(2)).has_value();
  switch (w0) {
    case ffa::fid::kSuccess:
    case ffa::fid::kSuccess64:
    case ffa::fid::kMsgSendDirectResp:
    case ffa::fid::kMsgSendDirectResp64:
    case ffa::fid::kMsgSendDirectResp2:
    case ffa::fid::kMemFragRx:
    case ffa::fid::kMemFragTx:
    case ffa::fid::kMemRetrieveResp:
    case ffa::fid::kMsgWait:
    case ffa::fid::kInterrupt:
      return true;
    default:
      break;
  }
  // SMCCC/PSCI status words (0, NOT_SUPPORTED, NOT_REQUIRED, INVALID_PARAMETER) and the hyp
  // stub's / host hypercall handler's small results.
  int32_t status = static_cast<int32_t>(w0);
  return (status >= -3 && status <= 1) || out.x[0] == pkvm::kHvcStubErr ||
         (ffa::find_call(id) == nullptr && !ffa::is_ffa_call(emu::FunctionId(id)));
}

void check_invariants(const fw::El3Firmware& el3, const pkvm::Pkvm* hyp, const emu::SmcccRegs& in,
                      const emu::SmcccRegs& out) {
  const fw::NsEndpoint& ns = el3.spmc().ns_endpoint();
  if (ns.rxtx) {
    if (ns.rxtx->tx == ns.rxtx->rx) violation("SPMC holds TX == RX", in, out);
    if (ns.rxtx->page_count == 0) violation("SPMC holds a zero-page RX/TX pair", in, out);
  } else if (ns.rx_state != fw::RxState::Empty) {
    violation("RX owned by the caller without a mapped RX buffer", in, out);
  }
  if (hyp == nullptr) return;
  if (auto host = hyp->host_buffers()) {
    if (hyp->host_page_owner(host->tx) != pkvm::PageOwner::SharedWithHyp ||
        hyp->host_page_owner(host->rx) != pkvm::PageOwner::SharedWithHyp) {
      violation("host RX/TX registered with pKVM but not shared with EL2", in, out);
    }
    if (hyp->hyp_pin_count(host->tx) == 0) violation("host TX registered but not pinned", in, out);
  }
}

emu::SmcccRegs take_regs(const uint8_t*& data, size_t& size) {
  emu::SmcccRegs r;
  // The first byte picks a known function ID (or keeps the raw one) so calls reach the handlers.
  auto calls = ffa::all_calls();
  uint8_t pick = *data;
  ++data;
  --size;
  size_t n = std::min(size, sizeof(r.x));
  std::memcpy(r.x.data(), data, n);
  data += n;
  size -= n;
  if (pick < calls.size() * 2) r.x[0] = calls[pick % calls.size()].id;
  // Steer addresses into host RAM half of the time so RX/TX and memory calls get past the
  // range checks.
  if (pick & 1) {
    for (int i = 1; i <= 3; ++i) {
      r.x[i] = emu::layout::kHostRamBase + (r.x[i] % emu::layout::kHostRamSize & ~0xfffull);
    }
    r.x[3] = (r.x[3] >> 12) % 4 + 1;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  uint8_t config = data[0];
  ++data;
  --size;
  // One memory for the whole run, returned to zero between inputs (only pages the models wrote).
  static emu::RegionMemory& memory = *[] {
    auto* m = new emu::RegionMemory;
    for (const emu::RegionSpec& r : emu::layout::default_regions())
      m->add(r);
    return m;
  }();
  memory.reset([](const emu::RegionSpec&) { return false; });
  fw::FirmwareConfig fwc;
  fwc.spmc = (config & 1) ? fw::SpmcPersona::TfaEl3 : fw::SpmcPersona::Hafnium;
  fwc.ffa_version = ffa::FfaVersion(1, static_cast<uint16_t>((config >> 1) % 3));
  fwc.smccc = fw::SmcccVersion{1, static_cast<uint16_t>((config >> 3) % 6)};
  fw::El3Firmware el3(fwc, memory);
  std::optional<pkvm::Pkvm> hyp;
  emu::TrapHandler* host = &el3;
  if (config & 0x40) {
    pkvm::PkvmConfig pc;
    pc.page_size = uint64_t{4096} << (2 * ((config >> 6) & 1));
    hyp.emplace(pc, el3, memory);
    if (config & 0x80) {
      hyp->install(fwc.smccc.major, fwc.smccc.minor);
      hyp->finalize();
    }
    host = &*hyp;
  }
  while (size > 0) {
    emu::Trap trap;
    trap.conduit = (data[0] & 0x80) ? emu::ConduitKind::Hvc : emu::ConduitKind::Smc;
    trap.pc = emu::layout::kCodeBase;
    trap.regs = take_regs(data, size);
    emu::TrapReply reply = host->on_trap(trap);
    // pKVM hit a hyp_panic (the kernel's BUG paths): the machine stops, there is no reply.
    if (reply.action == emu::TrapAction::Stop) break;
    if (!allowed_reply(trap.regs, reply.regs, hyp ? &*hyp : nullptr))
      violation("reply form not allowed", trap.regs, reply.regs);
    check_invariants(el3, hyp ? &*hyp : nullptr, trap.regs, reply.regs);
  }
  return 0;
}
