#include "trace/writers/drcov.h"

#include <array>

#include <fmt/format.h>

#include "trace/insn_class.h"

namespace ffaemu::trace {
namespace {

constexpr uint64_t kMaxBlock = 0xfff0;  // sizes are 16-bit: longer runs are split

void put_le(std::array<char, 8>& out, size_t at, uint64_t value, size_t bytes) {
  for (size_t i = 0; i < bytes; ++i)
    out[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

}  // namespace

DrcovWriter::DrcovWriter(std::ostream& out, DrcovModule module)
    : out_(out), module_(std::move(module)) {}

void DrcovWriter::close_block() {
  if (!open_) return;
  open_ = false;
  if (start_ < module_.base || end_ > module_.end || end_ <= start_) return;
  Block b{static_cast<uint32_t>(start_ - module_.base), static_cast<uint16_t>(end_ - start_)};
  if (seen_.insert(b).second) blocks_.push_back(b);
}

void DrcovWriter::insn(const InsnEvent& e) {
  if (open_ && (e.pc != end_ || end_ - start_ >= kMaxBlock)) close_block();
  if (!open_) {
    open_ = true;
    start_ = e.pc;
  }
  end_ = e.pc + e.size;
  if (ends_block(e.word) || e.next_pc() != end_) close_block();
}

void DrcovWriter::finish() {
  close_block();
  out_ << "DRCOV VERSION: 2\n"
       << "DRCOV FLAVOR: drcov-64\n"
       << "Module Table: version 2, count 1\n"
       << "Columns: id, base, end, entry, path\n"
       << fmt::format("{:3}, {:#018x}, {:#018x}, {:#018x}, {}\n", 0, module_.base, module_.end,
                      module_.entry, module_.path)
       << fmt::format("BB Table: {} bbs\n", blocks_.size());
  for (const Block& b : blocks_) {
    std::array<char, 8> record{};
    put_le(record, 0, b.offset, 4);
    put_le(record, 4, b.size, 2);
    put_le(record, 6, 0, 2);
    out_.write(record.data(), record.size());
  }
  out_.flush();
}

}  // namespace ffaemu::trace
