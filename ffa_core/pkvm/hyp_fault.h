// What ends a host call inside EL2 without a reply: a hyp_panic() (BUG(), or an access the kernel
// would make through a NULL or overrun buffer) or a path this model does not implement.
#pragma once

#include <stdexcept>

namespace ffaemu::pkvm {

// The kernel would hyp_panic(); the run stops with this message as a note.
class HypPanic : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A pKVM path outside the model (e.g. PSCI CPU_ON's EL2 entry trampoline); the run stops.
class NotModelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace ffaemu::pkvm
