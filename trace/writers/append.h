// Appending numbers to a line without a format string: the per-instruction writers call these
// millions of times a second, where fmt's format-string handling dominated the cost.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ffaemu::trace {

// Lowercase hex digits, at least `min_digits` (zero-padded), no prefix.
inline void append_hex_digits(std::string& out, uint64_t value, int min_digits = 1) {
  char buf[16];
  int n = 16;
  do {
    buf[--n] = "0123456789abcdef"[value & 0xf];
    value >>= 4;
  } while (value != 0);
  while (16 - n < min_digits && n > 0)
    buf[--n] = '0';
  out.append(buf + n, static_cast<size_t>(16 - n));
}

// "0x1f"; "0x0" for zero.
inline void append_hex(std::string& out, uint64_t value, int min_digits = 1) {
  out += "0x";
  append_hex_digits(out, value, min_digits);
}

// Decimal, right-aligned in `width` columns.
inline void append_dec(std::string& out, uint64_t value, size_t width = 0) {
  char buf[20];
  size_t n = 20;
  do {
    buf[--n] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value != 0);
  if (20 - n < width) out.append(width - (20 - n), ' ');
  out.append(buf + n, 20 - n);
}

// `size` bytes of `value` in memory (little-endian) order: 0x0201, 2 -> "0102".
inline void append_le_bytes(std::string& out, uint64_t value, uint32_t size) {
  for (uint32_t i = 0; i < size; ++i)
    append_hex_digits(out, (value >> (8 * i)) & 0xff, 2);
}

}  // namespace ffaemu::trace
