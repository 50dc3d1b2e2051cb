#include "trace/writers/out_buffer.h"

#include <algorithm>

#include "trace/async_file.h"

namespace ffaemu::trace {
namespace {

// Small enough to stay in the cache for a stream that copies what it is given; a trace file's
// chunks are larger, since each one handed over wakes the thread that writes it.
constexpr size_t kCapacity = size_t{64} << 10;

}  // namespace

OutBuffer::OutBuffer(std::ostream& out)
    : out_(out),
      direct_(dynamic_cast<AsyncFileBuf*>(out.rdbuf())),
      capacity_(direct_ ? AsyncFileBuf::kChunk : kCapacity),
      data_(std::make_unique_for_overwrite<char[]>(capacity_)),
      end_(data_.get()),
      limit_(data_.get() + capacity_) {}

OutBuffer::~OutBuffer() {
  drain();
}

void OutBuffer::drain() {
  auto size = static_cast<size_t>(end_ - data_.get());
  if (size == 0) return;
  if (direct_ && capacity_ == AsyncFileBuf::kChunk) {
    if (!direct_->exchange(data_, size)) out_.setstate(std::ios::badbit);
    limit_ = data_.get() + capacity_;
  } else {
    out_.write(data_.get(), static_cast<std::streamsize>(size));
  }
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
  data_ = std::make_unique_for_overwrite<char[]>(capacity_);
  end_ = data_.get();
  limit_ = data_.get() + capacity_;
}

}  // namespace ffaemu::trace
