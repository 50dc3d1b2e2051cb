// SMC Calling Convention value types (Arm DEN0028): the function identifier fields, the x0-x17
// register block of a call, and the trap a guest's smc/hvc produces. No FF-A knowledge here.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace ffaemu::emu {

// SMCCC 1.2+ passes arguments and results in x0-x17 (DEN0028 section 2.7; Linux
// arm_smccc_1_2_regs).
inline constexpr int kSmcccRegCount = 18;

// The "unknown function" return: -1 in w0, sign-extended to 64 bits since DEN0028B (TF-A SMC_UNK).
inline constexpr uint64_t kSmcUnknown = ~uint64_t{0};

// Owning entity numbers, DEN0028 table 6-2 (TF-A OEN_*).
enum class Owner : uint8_t {
  Arch = 0,
  Cpu = 1,
  Sip = 2,
  Oem = 3,
  StandardSecure = 4,
  StandardHyp = 5,
  VendorHyp = 6,
  VendorEl3 = 7,
};

// A function identifier (w0): bit 31 fast call, bit 30 SMC64, 29:24 owner, 23:17 reserved (must
// be zero in a fast call), 16 SVE hint (SMCCC 1.3), 15:0 function number. DEN0028 section 2.5.
class FunctionId {
 public:
  constexpr FunctionId() = default;
  constexpr explicit FunctionId(uint32_t raw) : raw_(raw) {}

  [[nodiscard]] constexpr uint32_t raw() const { return raw_; }
  [[nodiscard]] constexpr bool fast() const { return (raw_ >> 31) & 1; }
  [[nodiscard]] constexpr bool smc64() const { return (raw_ >> 30) & 1; }
  [[nodiscard]] constexpr uint8_t owner() const { return (raw_ >> 24) & 0x3f; }
  [[nodiscard]] constexpr uint8_t reserved_bits() const { return (raw_ >> 17) & 0x7f; }
  [[nodiscard]] constexpr bool sve_hint() const { return (raw_ >> 16) & 1; }
  [[nodiscard]] constexpr uint16_t number() const { return raw_ & 0xffff; }
  // The identifier with the SVE hint cleared, as TF-A's runtime_svc.c and Hafnium do first.
  [[nodiscard]] constexpr FunctionId without_sve_hint() const {
    return FunctionId(raw_ & ~(uint32_t{1} << 16));
  }

  friend constexpr bool operator==(FunctionId, FunctionId) = default;

 private:
  uint32_t raw_ = 0;
};

// Builds a fast-call identifier from its fields.
constexpr FunctionId fast_call(bool smc64, Owner owner, uint16_t number) {
  return FunctionId((uint32_t{1} << 31) | (uint32_t{smc64} << 30) |
                    (uint32_t(static_cast<uint8_t>(owner)) << 24) | number);
}

// Conventional owner names for trace and explain output (TF-A rt-svc-writers-guide table 1).
std::string owner_name(uint8_t owner, bool fast);

// The x0-x17 block of one call, passed by value everywhere. It is converted to and from Unicorn
// registers in exactly one place (emu/engine.cpp).
struct SmcccRegs {
  std::array<uint64_t, kSmcccRegCount> x{};

  [[nodiscard]] constexpr FunctionId function_id() const {
    return FunctionId(static_cast<uint32_t>(x[0]));
  }
  // wN: the low 32 bits of xN. SMC32 callees must read their arguments this way (DEN0028 2.6).
  [[nodiscard]] constexpr uint32_t w(int n) const { return static_cast<uint32_t>(x[n]); }

  friend constexpr bool operator==(const SmcccRegs&, const SmcccRegs&) = default;
};

// Builds a register block from leading values: regs(0x84000063, 0x10002) sets x0 and x1.
template <typename... V>
constexpr SmcccRegs regs(V... values) {
  static_assert(sizeof...(V) <= kSmcccRegCount);
  SmcccRegs r;
  int i = 0;
  ((r.x[i++] = static_cast<uint64_t>(values)), ...);
  return r;
}

// The instruction that raised the call.
enum class ConduitKind : uint8_t { Smc, Hvc };

[[nodiscard]] constexpr const char* conduit_name(ConduitKind c) {
  return c == ConduitKind::Smc ? "smc" : "hvc";
}

// What emu hands a TrapHandler: the conduit, the instruction's 16-bit immediate, the address of
// the smc/hvc itself, the EL it was issued from, and x0-x17 at that moment.
struct Trap {
  ConduitKind conduit = ConduitKind::Smc;
  uint16_t imm = 0;
  uint64_t pc = 0;  // address of the smc/hvc; the guest resumes at pc + 4
  uint8_t el = 1;
  SmcccRegs regs;
};

// What the handler asks emu to do once the result registers are written back.
enum class TrapAction : uint8_t { Resume, Stop };

struct TrapReply {
  SmcccRegs regs;
  TrapAction action = TrapAction::Resume;
};

// Implemented by the models. emu writes reply.regs back to x0-x17 unchanged: extension of 32-bit
// results is each model's business, as it is in TF-A, Hafnium and pKVM.
class TrapHandler {
 public:
  virtual ~TrapHandler() = default;
  virtual TrapReply on_trap(const Trap& trap) = 0;
};

// A caller's handle on the firmware interface: issue one call, get x0-x17 back. The Linux driver
// model holds one of these, chosen once at init (Linux drivers/firmware/arm_ffa/smccc.c).
class Conduit {
 public:
  virtual ~Conduit() = default;
  [[nodiscard]] virtual ConduitKind kind() const = 0;
  virtual SmcccRegs invoke(SmcccRegs in) = 0;
};

}  // namespace ffaemu::emu
