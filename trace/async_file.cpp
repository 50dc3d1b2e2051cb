#include "trace/async_file.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

namespace ffaemu::trace {
namespace {

void cpu_relax() {
#if defined(__x86_64__)
  _mm_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

// Polling for the next chunk only pays when the producer runs on another CPU; on one CPU the
// writer would spin away the producer's time.
bool may_poll() {
  cpu_set_t set;
  CPU_ZERO(&set);
  return sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 1;
}

int open_for_writing(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    throw TraceFileError(
        fmt::format("cannot write trace file '{}': {}", path, std::strerror(errno)), true);
  }
  return fd;
}

}  // namespace

AsyncFileBuf::AsyncFileBuf(const std::string& path) : AsyncFileBuf(open_for_writing(path), path) {}

AsyncFileBuf::AsyncFileBuf(int fd, std::string name)
    : fd_(fd), name_(std::move(name)), poll_(may_poll()) {
  writer_ = std::thread([this] { run(); });
}

AsyncFileBuf::~AsyncFileBuf() {
  try {
    close();
  } catch (const TraceFileError&) {  // NOLINT(bugprone-empty-catch): documented in the header
  }
}

std::streamsize AsyncFileBuf::xsputn(const char* s, std::streamsize n) {
  if (fd_ < 0) return 0;
  std::streamsize done = 0;
  while (done < n) {
    if (pptr() == epptr() && !submit()) break;
    auto k = static_cast<size_t>(std::min<std::streamsize>(epptr() - pptr(), n - done));
    std::memcpy(pptr(), s + done, k);
    pbump(static_cast<int>(k));
    done += static_cast<std::streamsize>(k);
  }
  return done;
}

AsyncFileBuf::int_type AsyncFileBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  if (fd_ < 0 || (pptr() == epptr() && !submit())) return traits_type::eof();
  *pptr() = traits_type::to_char_type(c);
  pbump(1);
  return c;
}

int AsyncFileBuf::sync() {
  if (fd_ < 0) return -1;
  {
    std::lock_guard<std::mutex> guard(lock_);
    queue_put_area();
  }
  drain();
  std::lock_guard<std::mutex> guard(lock_);
  return error_ ? -1 : 0;
}

// Continues the stream in a free chunk after handing over the filled one, waiting for a chunk
// when all are queued. False once a write has failed.
bool AsyncFileBuf::submit() {
  std::unique_lock<std::mutex> l(lock_);
  queue_put_area();
  current_ = take_free(l);
  setp(current_.get(), current_.get() + kChunk);
  return error_ == 0;
}

bool AsyncFileBuf::exchange(std::unique_ptr<char[]>& buffer, size_t size) {
  if (fd_ < 0) return false;
  std::unique_lock<std::mutex> l(lock_);
  queue_put_area();  // what was written through the stream goes first
  queue({std::move(buffer), size});
  buffer = take_free(l);
  return error_ == 0;
}

void AsyncFileBuf::queue_put_area() {
  if (!current_) return;
  auto size = static_cast<size_t>(pptr() - pbase());
  if (size > 0) {
    queue({std::move(current_), size});
  } else {
    free_.push_back({std::move(current_), 0});
  }
  setp(nullptr, nullptr);
}

void AsyncFileBuf::queue(Chunk chunk) {
  queued_.push_back(std::move(chunk));
  pending_.fetch_add(1, std::memory_order_release);
  work_.notify_one();
}

// A chunk to fill: one the writer has finished with, a new one while fewer than kChunks exist
// (memory is taken only as the disk falls behind), or else the first the writer frees.
std::unique_ptr<char[]> AsyncFileBuf::take_free(std::unique_lock<std::mutex>& l) {
  if (free_.empty() && allocated_ < kChunks) {
    ++allocated_;
    return std::make_unique_for_overwrite<char[]>(kChunk);
  }
  done_.wait(l, [this] { return !free_.empty(); });
  std::unique_ptr<char[]> data = std::move(free_.back().data);
  free_.pop_back();
  return data;
}

void AsyncFileBuf::drain() {
  std::unique_lock<std::mutex> l(lock_);
  done_.wait(l, [this] { return queued_.empty() && !writing_; });
}

void AsyncFileBuf::close() {
  if (fd_ < 0) return;
  sync();
  {
    std::lock_guard<std::mutex> guard(lock_);
    stop_ = true;
    pending_.fetch_add(1, std::memory_order_release);  // ends a poll at once
  }
  work_.notify_one();
  writer_.join();
  int error = error_;
  if (::close(fd_) != 0 && error == 0) error = errno;
  fd_ = -1;
  setp(nullptr, nullptr);
  if (error) {
    throw TraceFileError(
        fmt::format("cannot write trace file '{}': {}", name_, std::strerror(error)), false);
  }
}

// Before sleeping, the writer polls for the next chunk for a while: waking a sleeping thread
// costs the producer a system call and, on a virtual machine, an interrupt to the other CPU,
// which at one chunk a millisecond was worth a tenth of the tracing time.
void AsyncFileBuf::await_work(std::unique_lock<std::mutex>& l) {
  if (poll_ && queued_.empty() && !stop_) {
    l.unlock();
    auto give_up = std::chrono::steady_clock::now() + kPoll;
    for (unsigned i = 1; pending_.load(std::memory_order_acquire) == 0; ++i) {
      cpu_relax();
      if (i % 64 == 0 && std::chrono::steady_clock::now() > give_up) break;
    }
    l.lock();
  }
  work_.wait(l, [this] { return stop_ || !queued_.empty(); });
}

void AsyncFileBuf::run() {
  std::unique_lock<std::mutex> l(lock_);
  for (;;) {
    await_work(l);
    if (queued_.empty()) return;  // stop_, with nothing left to write
    Chunk chunk = std::move(queued_.front());
    queued_.pop_front();
    pending_.fetch_sub(1, std::memory_order_relaxed);
    writing_ = true;
    bool failed = error_ != 0;
    l.unlock();
    int error = failed ? 0 : write_all(chunk);
    l.lock();
    if (error && !error_) error_ = error;
    chunk.size = 0;
    free_.push_back(std::move(chunk));
    writing_ = false;
    done_.notify_all();
  }
}

// write(2) until the whole chunk is in the file; the errno that stopped it, or 0.
int AsyncFileBuf::write_all(const Chunk& chunk) {
  const char* p = chunk.data.get();
  size_t left = chunk.size;
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    if (n == 0) return EIO;  // no progress: never loop on a file that takes nothing
    p += n;
    left -= static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace ffaemu::trace
