// A partition's behaviour behind direct requests: it sees the message registers x3-x17 of a
// DIRECT_REQ (x3-x7) or DIRECT_REQ2 (x4-x17) and overwrites them with its DIRECT_RESP payload.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

namespace ffaemu::fw {

// x3..x17 of a direct message; registers the message form lacks are zero.
class MessageRegs {
 public:
  [[nodiscard]] uint64_t x(int n) const { return r_[n - 3]; }
  void set(int n, uint64_t v) { r_[n - 3] = v; }
  void clear() { r_.fill(0); }

 private:
  std::array<uint64_t, 15> r_{};
};

class PartitionService {
 public:
  virtual ~PartitionService() = default;
  virtual void on_direct_request(MessageRegs& regs) = 0;
};

// "tpm" or "echo"; nullptr for an unknown name.
[[nodiscard]] std::unique_ptr<PartitionService> make_service(std::string_view name);

}  // namespace ffaemu::fw
