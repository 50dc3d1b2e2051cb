// The output side of the per-instruction writers: a 64 KiB byte buffer in front of the stream,
// written with raw pointers, and the text each writer formats once per site (InsnEvent::site).
// At tens of millions of lines a second, std::string appends and one stream write per line cost
// more than the tracing itself (docs/trace.md, "Speed").
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "trace/events.h"

namespace ffaemu::trace {

class AsyncFileBuf;  // trace/async_file.h

class OutBuffer {
 public:
  explicit OutBuffer(std::ostream& out);
  ~OutBuffer();  // hands over what is left, so an early exit loses nothing
  OutBuffer(const OutBuffer&) = delete;
  OutBuffer& operator=(const OutBuffer&) = delete;

  // Room for `n` more bytes: write through the pointer, then commit() where writing ended.
  [[nodiscard]] char* reserve(size_t n) {
    if (static_cast<size_t>(limit_ - end_) < n) make_room(n);
    return end_;
  }
  void commit(char* end) { end_ = end; }
  void put(std::string_view text) { commit(put(reserve(text.size()), text)); }

  // Writes what is buffered to the stream and flushes it.
  void flush();

  [[nodiscard]] static char* put(char* p, std::string_view text) {
    std::memcpy(p, text.data(), text.size());
    return p + text.size();
  }
  // put() for short text whose source is readable for `N` bytes: one fixed-size move instead of
  // a call to memcpy. `p` needs room for N bytes.
  template <size_t N>
  [[nodiscard]] static char* put_padded(char* p, std::string_view text) {
    std::memcpy(p, text.data(), N);
    return p + text.size();
  }
  // Lowercase hex, at least `min_digits` (1-16), no prefix. Always stores 16 bytes at `p` (the
  // digits, then scratch a later put overwrites), so `p` needs room for 16.
  [[nodiscard]] static char* put_hex_digits(char* p, uint64_t value, int min_digits = 1) {
    int digits = value ? (67 - __builtin_clzll(value)) / 4 : 1;
    if (digits < min_digits) digits = min_digits;
#if defined(__SSE2__)
    // The first digit wanted shifted to the top byte, then all 16 nibbles at once: no loop, no
    // table (a loop of two-digit table lookups was a third of a jsonl line's formatting).
    store_hex16(p, __builtin_bswap64(value << (4 * (16 - digits))));
    return p + digits;
#else
    return put_hex_digits_scalar(p, value, digits);
#endif
  }
  // The portable form of put_hex_digits for exactly `digits` digits (1-16): two digits a step.
  [[nodiscard]] static char* put_hex_digits_scalar(char* p, uint64_t value, int digits) {
    static constexpr auto kPairs = [] {
      std::array<char, 512> pairs{};
      for (size_t i = 0; i < 256; ++i) {
        pairs[2 * i] = "0123456789abcdef"[i >> 4];
        pairs[2 * i + 1] = "0123456789abcdef"[i & 0xf];
      }
      return pairs;
    }();
    char* end = p + digits;
    char* q = end;
    for (int left = digits; left >= 2; left -= 2) {
      q -= 2;
      std::memcpy(q, &kPairs[2 * (value & 0xff)], 2);
      value >>= 8;
    }
    if (q != p) *p = "0123456789abcdef"[value & 0xf];
    return end;
  }
  // "0x1f"; "0x0" for zero. Stores 18 bytes, like put_hex_digits.
  [[nodiscard]] static char* put_hex(char* p, uint64_t value, int min_digits = 1) {
    *p++ = '0';
    *p++ = 'x';
    return put_hex_digits(p, value, min_digits);
  }
  // Decimal, right-aligned in `width` columns (at most 20 digits plus the padding). Written in
  // place, two digits per step: no intermediate buffer for a wide load to stall on.
  [[nodiscard]] static char* put_dec(char* p, uint64_t value, size_t width = 0) {
    static constexpr char kPairs[] =
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
        "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
        "8081828384858687888990919293949596979899";
    size_t digits = decimal_digits(value);
    for (size_t used = digits; used < width; ++used)
      *p++ = ' ';
    char* end = p + digits;
    char* q = end;
    while (value >= 100) {
      uint64_t pair = value % 100;
      value /= 100;
      q -= 2;
      q[0] = kPairs[2 * pair];
      q[1] = kPairs[2 * pair + 1];
    }
    if (value >= 10) {
      q[-2] = kPairs[2 * value];
      q[-1] = kPairs[2 * value + 1];
    } else {
      q[-1] = static_cast<char>('0' + value);
    }
    return end;
  }
  [[nodiscard]] static size_t decimal_digits(uint64_t value) {
    size_t digits = 1;
    for (uint64_t bound = 10; digits < 20 && value >= bound; bound *= 10)
      ++digits;
    return digits;
  }
  // `size` bytes (at most 8) of `value` in memory (little-endian) order: 0x0201, 2 -> "0102".
  // Stores 16 bytes at `p`, like put_hex_digits.
  [[nodiscard]] static char* put_le_bytes(char* p, uint64_t value, uint32_t size) {
#if defined(__SSE2__)
    store_hex16(p, value);
    return p + 2 * size;
#else
    for (uint32_t i = 0; i < size; ++i)
      p = put_hex_digits_scalar(p, (value >> (8 * i)) & 0xff, 2);
    return p;
#endif
  }

 private:
#if defined(__SSE2__)
  // The 16 hex digits of the eight bytes of `bytes` taken low byte first, each byte high nibble
  // first, stored at `p`.
  static void store_hex16(char* p, uint64_t bytes) {
    __m128i in = _mm_cvtsi64_si128(static_cast<long long>(bytes));
    __m128i low = _mm_set1_epi8(0x0f);
    __m128i nibbles =
        _mm_unpacklo_epi8(_mm_and_si128(_mm_srli_epi16(in, 4), low), _mm_and_si128(in, low));
    __m128i letters =
        _mm_and_si128(_mm_cmpgt_epi8(nibbles, _mm_set1_epi8(9)), _mm_set1_epi8('a' - '0' - 10));
    __m128i text = _mm_add_epi8(_mm_add_epi8(nibbles, _mm_set1_epi8('0')), letters);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(p), text);
  }
#endif
  void make_room(size_t n);
  void drain();

  std::ostream& out_;
  AsyncFileBuf* direct_;  // out_'s buffer when it is a trace file: full buffers are handed over
  size_t capacity_;
  std::unique_ptr<char[]> data_;
  char* end_;
  char* limit_;
};

// The "0x..." text of recently written values, for deltas and accesses: a register's old value is
// the new value of its last delta, and a loop's branch targets and addresses come round again.
// A hit copies the text instead of formatting it; a miss formats and remembers it.
class HexCache {
 public:
  // OutBuffer::put_hex(p, value), with the same room needed at `p` (18 bytes).
  [[nodiscard]] char* put_hex(char* p, uint64_t value) {
    Slot& s = slots_[(value * 0x9e3779b97f4a7c15) >> (64 - kBits)];
    if (s.size != 0 && s.value == value) {
      std::memcpy(p, s.text, 16);
      std::memcpy(p + 2, s.text + 2, 16);
      return p + s.size;
    }
    char* end = OutBuffer::put_hex(p, value);
    s.value = value;
    s.size = static_cast<uint32_t>(end - p);
    std::memcpy(s.text, p, 16);
    std::memcpy(s.text + 2, p + 2, 16);
    return end;
  }

 private:
  static constexpr int kBits = 8;
  struct Slot {
    uint64_t value = 0;
    uint32_t size = 0;  // 0: empty
    char text[20] = {};
  };
  std::array<Slot, size_t{1} << kBits> slots_{};
};

// The decimal text of a number that mostly grows by one per line (an event's seq), right-aligned
// in `width` columns (at most 8; 0 for none), kept as up to eight ASCII characters in one 64-bit
// word and incremented there: no division, and no byte store followed by a wider load (a
// store-forwarding stall that cost more than the division).
class DecimalCounter {
 public:
  explicit DecimalCounter(size_t width = 0) : width_(std::min<size_t>(width, 8)) {}

  // Writes `value` at `p` (room for 20 bytes plus 8) and returns where it ends.
  [[nodiscard]] char* put(char* p, uint64_t value) {
    if (!(shown_ > 0 && value == value_ + 1 && increment())) set(value);
    value_ = value;
    if (shown_ == 0) return OutBuffer::put_dec(p, value, width_);
    std::memcpy(p, &word_, 8);
    return p + shown_;
  }

 private:
  // Byte i of word_ is the i-th character from the left; the digits are the last `digits_` of
  // the first `shown_`, spaces before them.
  [[nodiscard]] bool increment() {
    for (size_t i = shown_; i-- > shown_ - digits_;) {
      unsigned shift = 8 * static_cast<unsigned>(i);
      if (((word_ >> shift) & 0xff) != '9') {
        word_ += uint64_t{1} << shift;
        return true;
      }
      word_ -= uint64_t{9} << shift;  // '9' -> '0', carry on
    }
    if (digits_ < shown_) {  // a leading space becomes the new digit
      unsigned shift = 8 * static_cast<unsigned>(shown_ - digits_ - 1);
      word_ += uint64_t{'1' - ' '} << shift;
      ++digits_;
      return true;
    }
    if (shown_ == 8) return false;  // past eight characters put_dec takes over
    word_ = (word_ << 8) | '1';     // 99 -> 100
    ++digits_;
    ++shown_;
    return true;
  }
  void set(uint64_t value) {
    char text[32];
    auto size = static_cast<size_t>(OutBuffer::put_dec(text, value, width_) - text);
    shown_ = size <= 8 ? size : 0;
    digits_ = OutBuffer::decimal_digits(value);
    word_ = 0;
    if (shown_) std::memcpy(&word_, text, shown_);
  }

  size_t width_;
  uint64_t word_ = 0;
  size_t shown_ = 0;  // characters in word_; 0 when the text does not fit
  size_t digits_ = 0;
  uint64_t value_ = 0;
};

// The part of an instruction's line that depends only on its site, formatted once per site and
// stored padded to whole 32-byte blocks, at least kShort bytes, so copying it is a few fixed-size
// moves: always the same four for text up to kShort, where a loop whose trip count changed from
// one site to the next cost a branch miss per line.
class SiteText {
 public:
  static constexpr size_t kBlock = 32;
  static constexpr size_t kShort = 4 * kBlock;

  // The cached text for `event`'s site, or `build(event)` when it has none yet; events with no
  // site are formatted every time. The bytes after the view are readable up to room(view).
  template <typename Build>
  [[nodiscard]] std::string_view get(const InsnEvent& event, Build&& build) {
    if (event.site == kNoSite) return pad(scratch_, build(event));
    if (event.site >= text_.size()) text_.resize(event.site + 1);
    Entry& entry = text_[event.site];
    if (entry.padded.empty()) entry.size = pad(entry.padded, build(event)).size();
    return {entry.padded.data(), entry.size};
  }

  // The bytes put() stores for `text`.
  [[nodiscard]] static size_t room(std::string_view text) {
    return std::max(kShort, text.size() + kBlock);
  }
  // Copies `text` from get() to `p`, which has room(text) bytes.
  [[nodiscard]] static char* put(char* p, std::string_view text) {
    if (text.size() < kShort) {
      std::memcpy(p, text.data(), kShort);
    } else {
      for (size_t i = 0; i < text.size(); i += kBlock)
        std::memcpy(p + i, text.data() + i, kBlock);
    }
    return p + text.size();
  }

 private:
  struct Entry {
    std::string padded;
    size_t size = 0;
  };
  static std::string_view pad(std::string& into, std::string text) {
    size_t size = text.size();
    into = std::move(text);
    into.resize(std::max(kShort, (size / kBlock + 1) * kBlock), ' ');
    return {into.data(), size};
  }

  std::vector<Entry> text_;
  std::string scratch_;
};

}  // namespace ffaemu::trace
