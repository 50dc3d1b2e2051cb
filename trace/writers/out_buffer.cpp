#include "trace/writers/out_buffer.h"

#include <algorithm>

namespace ffaemu::trace {
namespace {

constexpr size_t kCapacity = size_t{64} << 10;

}  // namespace

OutBuffer::OutBuffer(std::ostream& out)
    : out_(out),
      data_(std::make_unique<char[]>(kCapacity)),
      capacity_(kCapacity),
      end_(data_.get()),
      limit_(data_.get() + kCapacity) {}

OutBuffer::~OutBuffer() {
  drain();
}

void OutBuffer::drain() {
  if (end_ != data_.get()) out_.write(data_.get(), end_ - data_.get());
  end_ = data_.get();
}

void OutBuffer::flush() {
  drain();
  out_.flush();
}

void OutBuffer::make_room(size_t n) {
  drain();
  if (n <= capacity_) return;
  capacity_ = std::max(n, 2 * capacity_);
  data_ = std::make_unique<char[]>(capacity_);
  end_ = data_.get();
  limit_ = data_.get() + capacity_;
}

}  // namespace ffaemu::trace
