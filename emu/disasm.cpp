#include "emu/disasm.h"

#include <capstone/capstone.h>

#include <cstring>
#include <stdexcept>

#include <fmt/format.h>

namespace ffaemu::emu {

struct Disassembler::Impl {
  csh handle = 0;
  cs_insn* insn = nullptr;

  Impl() {
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &handle) != CS_ERR_OK) {
      throw std::runtime_error("capstone: cs_open(CS_ARCH_ARM64) failed");
    }
    cs_option(handle, CS_OPT_DETAIL, CS_OPT_ON);
    insn = cs_malloc(handle);
  }
  ~Impl() {
    cs_free(insn, 1);
    cs_close(&handle);
  }
};

std::string DecodedInsn::text() const {
  return operands.empty() ? mnemonic : fmt::format("{} {}", mnemonic, operands);
}

Disassembler::Disassembler() : impl_(std::make_unique<Impl>()) {}
Disassembler::~Disassembler() = default;
Disassembler::Disassembler(Disassembler&&) noexcept = default;
Disassembler& Disassembler::operator=(Disassembler&&) noexcept = default;

std::optional<DecodedInsn> Disassembler::decode(uint64_t address,
                                                std::span<const uint8_t> bytes) const {
  if (bytes.size() < 4) return std::nullopt;
  const uint8_t* code = bytes.data();
  size_t size = 4;
  uint64_t addr = address;
  DecodedInsn out;
  out.address = address;
  out.size = 4;
  std::memcpy(&out.word, bytes.data(), 4);
  if (!cs_disasm_iter(impl_->handle, &code, &size, &addr, impl_->insn)) {
    // UDF (permanently undefined, imm16 in bits 15:0) is missing from Capstone 4's tables.
    if ((out.word >> 16) != 0) return std::nullopt;
    out.mnemonic = "udf";
    out.operands = fmt::format("#{:#x}", out.word & 0xffff);
    if (out.word == 0) out.operands = "#0";
    return out;
  }
  out.size = impl_->insn->size;
  out.mnemonic = impl_->insn->mnemonic;
  out.operands = impl_->insn->op_str;
  return out;
}

bool Disassembler::sp_based_access(uint64_t address, std::span<const uint8_t> bytes) const {
  if (bytes.size() < 4) return false;
  const uint8_t* code = bytes.data();
  size_t size = 4;
  if (!cs_disasm_iter(impl_->handle, &code, &size, &address, impl_->insn)) return false;
  const cs_arm64& d = impl_->insn->detail->arm64;
  for (uint8_t i = 0; i < d.op_count; ++i) {
    if (d.operands[i].type == ARM64_OP_MEM && d.operands[i].mem.base == ARM64_REG_SP) return true;
  }
  return false;
}

std::vector<DecodedInsn> Disassembler::decode_all(uint64_t address,
                                                  std::span<const uint8_t> bytes) const {
  std::vector<DecodedInsn> out;
  for (size_t off = 0; off + 4 <= bytes.size(); off += 4) {
    auto insn = decode(address + off, bytes.subspan(off, 4));
    if (!insn) {
      DecodedInsn raw;
      raw.address = address + off;
      raw.size = 4;
      std::memcpy(&raw.word, bytes.data() + off, 4);
      raw.mnemonic = ".inst";
      raw.operands = fmt::format("{:#010x}", raw.word);
      insn = raw;
    }
    out.push_back(std::move(*insn));
  }
  return out;
}

}  // namespace ffaemu::emu
