// OutBuffer's number formatting for text built in a std::string: the text formatted once per
// site, and other lines that are not on the per-instruction path.
#pragma once

#include <cstdint>
#include <string>

#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {

// Lowercase hex digits, at least `min_digits` (zero-padded), no prefix.
inline void append_hex_digits(std::string& out, uint64_t value, int min_digits = 1) {
  char buf[16];
  out.append(buf, OutBuffer::put_hex_digits(buf, value, min_digits));
}

// "0x1f"; "0x0" for zero.
inline void append_hex(std::string& out, uint64_t value, int min_digits = 1) {
  char buf[18];
  out.append(buf, OutBuffer::put_hex(buf, value, min_digits));
}

inline void append_dec(std::string& out, uint64_t value) {
  char buf[20];
  out.append(buf, OutBuffer::put_dec(buf, value));
}

// `size` bytes of `value` in memory (little-endian) order: 0x0201, 2 -> "0102".
inline void append_le_bytes(std::string& out, uint64_t value, uint32_t size) {
  char buf[16];
  out.append(buf, OutBuffer::put_le_bytes(buf, value, size > 8 ? 8 : size));
}

}  // namespace ffaemu::trace
