// A partition's behaviour behind direct requests: it sees the message registers x3-x17 of a
// DIRECT_REQ (x3-x7) or DIRECT_REQ2 (x4-x17) and overwrites them with its DIRECT_RESP payload. It
// may make its own FF-A calls to the SPMC through PartitionFfa while it runs.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ffa_core/abi/ffa.h"

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

// The FF-A calls a partition makes at its own (secure) instance; nullopt on success.
class PartitionFfa {
 public:
  virtual ~PartitionFfa() = default;
  // FFA_MEM_RETRIEVE_REQ / FFA_MEM_RELINQUISH of a handle the partition was named receiver of.
  virtual std::optional<ffa::FfaError> mem_retrieve(uint64_t handle) = 0;
  virtual std::optional<ffa::FfaError> mem_relinquish(uint64_t handle) = 0;
};

class PartitionService {
 public:
  virtual ~PartitionService() = default;
  virtual void on_direct_request(MessageRegs& regs, PartitionFfa& ffa) = 0;
};

// "tpm" or "echo"; nullptr for an unknown name.
[[nodiscard]] std::unique_ptr<PartitionService> make_service(std::string_view name);

}  // namespace ffaemu::fw
