// AsyncFileBuf: every byte reaches the file in order whether written through the stream or handed
// over as a whole chunk, sync() waits for the file, and a file that cannot be opened or written
// is reported with its name and the system's reason.
#include "trace/async_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <ostream>
#include <sstream>
#include <string>

#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {
namespace {

namespace fs = std::filesystem;

class AsyncFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("ffaemu_async_file_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  [[nodiscard]] std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  fs::path dir_;
};

// Bytes that differ from one offset to the next, so a lost, repeated or reordered chunk shows.
std::string pattern(size_t size, size_t seed) {
  std::string s(size, '\0');
  for (size_t i = 0; i < size; ++i)
    s[i] = static_cast<char>('a' + (i * 7 + seed * 13 + i / 251) % 26);
  return s;
}

TEST_F(AsyncFileTest, StreamWritesOfEverySize_ReachTheFileInOrderAcrossManyChunks) {
  std::string want;
  {
    AsyncFileBuf file(path("t"));
    std::ostream out(&file);
    // 1-byte puts, lines, and writes larger than a chunk: more than kChunks chunks in all.
    for (size_t i = 0; want.size() < 6 * AsyncFileBuf::kChunk; ++i) {
      std::string piece = pattern(i % 3 == 0 ? 1 : i % 3 == 1 ? 150 : AsyncFileBuf::kChunk + 7, i);
      if (piece.size() == 1) {
        out.put(piece[0]);
      } else {
        out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      }
      want += piece;
    }
    ASSERT_TRUE(out.good());
    file.close();
  }
  EXPECT_EQ(contents(path("t")), want);
}

// As OutBuffer uses it: fill the chunk in hand, exchange it, fill the one that comes back.
TEST_F(AsyncFileTest, ExchangedChunks_FollowWhatTheStreamHadBuffered) {
  AsyncFileBuf file(path("t"));
  std::ostream out(&file);
  std::string want;
  auto chunk = std::make_unique<char[]>(AsyncFileBuf::kChunk);
  for (size_t i = 0; i < 9; ++i) {
    std::string line = pattern(100 + i, i);
    out << line;
    want += line;
    std::string whole = pattern(AsyncFileBuf::kChunk - i, i + 100);
    std::copy(whole.begin(), whole.end(), chunk.get());
    ASSERT_TRUE(file.exchange(chunk, whole.size()));
    ASSERT_NE(chunk, nullptr);
    want += whole;
  }
  file.close();
  EXPECT_EQ(contents(path("t")), want);
}

TEST_F(AsyncFileTest, Flush_WaitsUntilTheBytesAreInTheFile) {
  AsyncFileBuf file(path("t"));
  std::ostream out(&file);
  out << "first line\n";
  out.flush();
  EXPECT_TRUE(out.good());
  EXPECT_EQ(contents(path("t")), "first line\n");
  out << "second\n";
  file.close();
  EXPECT_EQ(contents(path("t")), "first line\nsecond\n");
}

TEST_F(AsyncFileTest, DestroyedWithoutClose_StillWritesEverything) {
  std::string want = pattern(3 * AsyncFileBuf::kChunk + 5, 1);
  {
    AsyncFileBuf file(path("t"));
    std::ostream out(&file);
    out.write(want.data(), static_cast<std::streamsize>(want.size()));
  }
  EXPECT_EQ(contents(path("t")), want);
}

// Pinned to one CPU the writing thread sleeps between chunks instead of polling (it would spin
// away the tracer's time); every byte still arrives in order.
TEST_F(AsyncFileTest, OnOneCpu_WritesEverythingInOrder) {
  cpu_set_t all;
  ASSERT_EQ(sched_getaffinity(0, sizeof all, &all), 0);
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &all)) {
      CPU_SET(cpu, &one);
      break;
    }
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof one, &one), 0);
  std::string want;
  {
    AsyncFileBuf file(path("t"));  // its thread inherits the one CPU
    std::ostream out(&file);
    for (size_t i = 0; want.size() < 3 * AsyncFileBuf::kChunk; ++i) {
      std::string piece = pattern(1000 + i % 7000, i);
      out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
      want += piece;
    }
    file.close();
  }
  ASSERT_EQ(sched_setaffinity(0, sizeof all, &all), 0);
  EXPECT_EQ(contents(path("t")), want);
}

TEST_F(AsyncFileTest, ExistingFile_IsTruncated) {
  std::ofstream(path("t")) << pattern(5000, 3);
  AsyncFileBuf file(path("t"));
  std::ostream out(&file);
  out << "new";
  file.close();
  EXPECT_EQ(contents(path("t")), "new");
}

TEST_F(AsyncFileTest, UnopenablePath_NamesThePathAndTheReason) {
  std::string p = path("no/such/dir/t.jsonl");
  try {
    AsyncFileBuf file(p);
    FAIL() << "opened " << p;
  } catch (const TraceFileError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write trace file '" + p + "': No such file or directory");
  }
}

// /dev/full takes the open and refuses every write with ENOSPC: the failure surfaces at flush
// and close, with the file's name, never silently.
TEST_F(AsyncFileTest, FailedWrite_IsReportedByFlushAndClose) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  AsyncFileBuf file("/dev/full");
  std::ostream out(&file);
  out << "lost";
  out.flush();
  EXPECT_TRUE(out.bad());
  try {
    file.close();
    FAIL() << "close succeeded";
  } catch (const TraceFileError& e) {
    EXPECT_EQ(std::string(e.what()),
              "cannot write trace file '/dev/full': No space left on device");
  }
  file.close();  // already closed: nothing more to report
}

TEST_F(AsyncFileTest, FailedWrite_MakesLaterExchangesFail) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  AsyncFileBuf file("/dev/full");
  std::ostream out(&file);
  out << "x";
  out.flush();
  auto chunk = std::make_unique<char[]>(AsyncFileBuf::kChunk);
  EXPECT_FALSE(file.exchange(chunk, 1));
  EXPECT_THROW(file.close(), TraceFileError);
}

TEST_F(AsyncFileTest, AfterClose_WritesAndExchangesFail) {
  AsyncFileBuf file(path("t"));
  std::ostream out(&file);
  out << "kept";
  file.close();
  out << "dropped";
  EXPECT_TRUE(out.bad());
  auto chunk = std::make_unique<char[]>(AsyncFileBuf::kChunk);
  EXPECT_FALSE(file.exchange(chunk, 1));
  EXPECT_EQ(contents(path("t")), "kept");
}

// OutBuffer hands its full buffers to a trace file instead of copying them: the file gets the
// same bytes, in the same order, as a stream that copies.
TEST_F(AsyncFileTest, OutBufferOverATraceFile_WritesWhatItWritesToAnyStream) {
  std::ostringstream copied;
  {
    AsyncFileBuf file(path("t"));
    std::ostream direct(&file);
    OutBuffer a(direct);
    OutBuffer b(copied);
    for (size_t i = 0; i < 12000; ++i) {
      std::string line = pattern(40 + i % 200, i) + "\n";
      if (i == 6000) line = pattern(AsyncFileBuf::kChunk * 2, i);  // larger than a chunk
      a.put(line);
      b.put(line);
    }
    a.flush();
    b.flush();
    file.close();
  }
  EXPECT_EQ(contents(path("t")), copied.str());
}

}  // namespace
}  // namespace ffaemu::trace
