// AArch64 disassembly through Capstone 4, behind one small adapter so a move to Capstone 5/6
// touches one file (emulation-tech.md section 3). Used for fault messages, listings and traces.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace ffaemu::emu {

struct DecodedInsn {
  uint64_t address = 0;
  uint32_t size = 0;
  uint32_t word = 0;  // little-endian instruction word
  std::string mnemonic;
  std::string operands;

  [[nodiscard]] std::string text() const;  // "ldr x1, [x0]"
};

class Disassembler {
 public:
  Disassembler();
  ~Disassembler();
  Disassembler(Disassembler&&) noexcept;
  Disassembler& operator=(Disassembler&&) noexcept;

  // The instruction at the start of `bytes`, or nullopt when it is not a valid encoding.
  [[nodiscard]] std::optional<DecodedInsn> decode(uint64_t address,
                                                  std::span<const uint8_t> bytes) const;
  // Whether the instruction is a load or store whose base register is SP: with SCTLR_EL1.SA set
  // (as Linux sets it) such an access faults unless SP is 16-byte aligned. QEMU, and so Unicorn,
  // does not implement that check.
  [[nodiscard]] bool sp_based_access(uint64_t address, std::span<const uint8_t> bytes) const;
  // Every 4-byte word in `bytes`; invalid encodings come back as ".inst 0x...".
  [[nodiscard]] std::vector<DecodedInsn> decode_all(uint64_t address,
                                                    std::span<const uint8_t> bytes) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ffaemu::emu
