// A trace file written on its own thread: the writers fill fixed-size chunks and a second thread
// hands them to write(2), so formatting and the kernel's page-cache copy overlap instead of
// adding up (on one core they still add up; docs/trace.md, "Speed"). Nothing is dropped: when
// every chunk is waiting for the disk, the tracer waits too.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

namespace ffaemu::trace {

// A trace file that could not be opened (the user's input: a usage error) or written (a failed
// run): "cannot write trace file 'x': <reason>".
class TraceFileError : public std::runtime_error {
 public:
  TraceFileError(const std::string& message, bool opening)
      : std::runtime_error(message), opening_(opening) {}
  [[nodiscard]] bool opening() const { return opening_; }

 private:
  bool opening_;
};

class AsyncFileBuf final : public std::streambuf {
 public:
  static constexpr size_t kChunk = size_t{1024} << 10;
  static constexpr size_t kChunks = 4;
  // How long the writer looks for the next chunk before it sleeps.
  static constexpr std::chrono::microseconds kPoll{2000};

  // Opens `path` for writing, created or truncated; throws TraceFileError naming the path and
  // the system's reason when it cannot.
  explicit AsyncFileBuf(const std::string& path);
  // Writes to `fd`, an open file descriptor the buffer then owns; `name` is for messages.
  AsyncFileBuf(int fd, std::string name);
  ~AsyncFileBuf() override;  // writes what is left and closes; errors are lost: call close()
  AsyncFileBuf(const AsyncFileBuf&) = delete;
  AsyncFileBuf& operator=(const AsyncFileBuf&) = delete;

  // Queues `size` bytes of `buffer` (kChunk bytes long) for writing after everything written
  // before, and gives back an empty buffer of kChunk bytes in its place: a writer that formats
  // in its own buffer hands it over without a copy. False once a write has failed.
  bool exchange(std::unique_ptr<char[]>& buffer, size_t size);

  // Writes everything buffered, waits for it to reach the file and closes it; later writes fail.
  // Throws TraceFileError naming the file and the reason when any write or the close failed.
  void close();

 protected:
  std::streamsize xsputn(const char* s, std::streamsize n) override;
  int_type overflow(int_type c) override;
  // Waits until everything written so far has been handed to the file; -1 after a write error.
  int sync() override;

 private:
  struct Chunk {
    std::unique_ptr<char[]> data;
    size_t size = 0;
  };

  bool submit();            // queues the put area and continues in a free chunk
  void queue_put_area();    // with lock_ held; leaves no put area
  void queue(Chunk chunk);  // with lock_ held
  std::unique_ptr<char[]> take_free(std::unique_lock<std::mutex>& l);
  void drain();  // waits until the queue is empty and the writer idle
  void run();    // the writer thread
  void await_work(std::unique_lock<std::mutex>& l);
  int write_all(const Chunk& chunk);

  int fd_;
  std::string name_;
  bool poll_;                        // the writer polls before it sleeps (more than one CPU)
  std::unique_ptr<char[]> current_;  // the put area, if the stream has one

  std::mutex lock_;
  std::condition_variable work_;  // to the writer: a chunk is queued, or stop
  std::condition_variable done_;  // to the producer: a chunk is free, or the queue is empty
  std::deque<Chunk> queued_;
  std::vector<Chunk> free_;
  size_t allocated_ = 0;  // chunks in existence, at most kChunks (not counting the caller's own)
  bool writing_ = false;  // the writer holds a chunk outside both lists
  bool stop_ = false;
  std::atomic<size_t> pending_{0};  // queued_.size() (plus one at stop), polled without the lock
  int error_ = 0;                   // errno of the first failed write
  std::thread writer_;
};

}  // namespace ffaemu::trace
