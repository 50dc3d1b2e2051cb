// drcov version 2 coverage (`--trace-format drcov`) for Lighthouse, Cutter and Ghidra plugins: a
// text header, a one-module table, then "BB Table: N bbs" and N 8-byte little-endian records
// {uint32 start offset, uint16 size, uint16 module id} (DynamoRIO ext/drcovlib, QEMU
// contrib/plugins/drcov.c; emulation-tech.md section 5.2). A block is a maximal run of sequential
// executed instructions ending at a branch or exception; each distinct block is written once.
#pragma once

#include <cstdint>
#include <ostream>
#include <set>
#include <utility>
#include <vector>

#include "trace/writer.h"

namespace ffaemu::trace {

class DrcovWriter final : public Writer {
 public:
  struct Block {
    uint32_t offset;  // from the module base
    uint16_t size;
    friend auto operator<=>(const Block&, const Block&) = default;
  };

  DrcovWriter(std::ostream& out, DrcovModule module);
  void insn(const InsnEvent& event) override;
  void call(const CallRecord&) override {}
  void boot(const BootEvent&) override {}
  void finish() override;  // writes the whole file

  [[nodiscard]] const std::vector<Block>& blocks() const { return blocks_; }

 private:
  void close_block();

  std::ostream& out_;
  DrcovModule module_;
  bool open_ = false;
  uint64_t start_ = 0;
  uint64_t end_ = 0;
  std::vector<Block> blocks_;  // first-execution order
  std::set<Block> seen_;
};

}  // namespace ffaemu::trace
