// A 16-byte UUID (RFC 4122 byte order) and its SMCCC register packings: four 32-bit words for
// FFA_PARTITION_INFO_GET (w1 holds bytes 0-3, byte 0 in bits 7:0) and two 64-bit halves for
// FFA_PARTITION_INFO_GET_REGS / DIRECT_REQ2 (x holds bytes 0-7 little-endian); Linux export_uuid,
// Hafnium ffa_uuid_from_u64x2, DEN0077 section 5.3.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace ffaemu::ffa {

class Uuid {
 public:
  constexpr Uuid() = default;
  constexpr explicit Uuid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // "17b862a4-1806-4faf-86b3-089a58353861"; nullopt unless 36 characters in the 8-4-4-4-12 form.
  [[nodiscard]] static std::optional<Uuid> parse(std::string_view text);
  [[nodiscard]] static Uuid from_words(uint32_t w0, uint32_t w1, uint32_t w2, uint32_t w3);
  [[nodiscard]] static Uuid from_halves(uint64_t lo, uint64_t hi);

  [[nodiscard]] std::array<uint32_t, 4> words() const;
  [[nodiscard]] uint64_t lo() const;
  [[nodiscard]] uint64_t hi() const;
  [[nodiscard]] constexpr const std::array<uint8_t, 16>& bytes() const { return bytes_; }
  [[nodiscard]] bool nil() const;
  [[nodiscard]] std::string to_string() const;

  friend constexpr bool operator==(const Uuid&, const Uuid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

}  // namespace ffaemu::ffa

template <>
struct fmt::formatter<ffaemu::ffa::Uuid> : fmt::formatter<std::string_view> {
  auto format(const ffaemu::ffa::Uuid& u, fmt::format_context& ctx) const {
    return fmt::format_to(ctx.out(), "{}", u.to_string());
  }
};
