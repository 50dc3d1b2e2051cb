#include "ffa_core/abi/uuid.h"

namespace ffaemu::ffa {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

uint64_t load_le64(const std::array<uint8_t, 16>& b, int offset) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | b[offset + i];
  return v;
}

void store_le64(std::array<uint8_t, 16>& b, int offset, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    b[offset + i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

std::optional<Uuid> Uuid::parse(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::array<uint8_t, 16> bytes{};
  size_t out = 0;
  for (size_t i = 0; i < text.size();) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (text[i] != '-') return std::nullopt;
      ++i;
      continue;
    }
    int hi = hex_value(text[i]);
    int lo = hex_value(text[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    bytes[out++] = static_cast<uint8_t>((hi << 4) | lo);
    i += 2;
  }
  return Uuid(bytes);
}

Uuid Uuid::from_words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3) {
  return from_halves(uint64_t{w0} | (uint64_t{w1} << 32), uint64_t{w2} | (uint64_t{w3} << 32));
}

Uuid Uuid::from_halves(uint64_t lo, uint64_t hi) {
  std::array<uint8_t, 16> bytes{};
  store_le64(bytes, 0, lo);
  store_le64(bytes, 8, hi);
  return Uuid(bytes);
}

std::array<uint32_t, 4> Uuid::words() const {
  return {static_cast<uint32_t>(lo()), static_cast<uint32_t>(lo() >> 32),
          static_cast<uint32_t>(hi()), static_cast<uint32_t>(hi() >> 32)};
}

uint64_t Uuid::lo() const {
  return load_le64(bytes_, 0);
}
uint64_t Uuid::hi() const {
  return load_le64(bytes_, 8);
}

bool Uuid::nil() const {
  for (uint8_t b : bytes_) {
    if (b != 0) return false;
  }
  return true;
}

std::string Uuid::to_string() const {
  std::string s;
  for (size_t i = 0; i < bytes_.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += fmt::format("{:02x}", bytes_[i]);
  }
  return s;
}

}  // namespace ffaemu::ffa
