// How models report the path of a call through the exception levels, for traces and JSON
// (`EL1 -> EL2 pkvm:do_ffa_rxtx_map -> EL3 spmd -> S-EL2 spmc:rxtx_map -> ... -> EL1`), and the
// guest mistakes they answered with an error (Hafnium's rule: a misbehaving caller is an event,
// not an emulator error).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ffaemu::ffa {

enum class Level : uint8_t { El1, El2, El3, SEl2, SEl1 };

[[nodiscard]] constexpr std::string_view level_name(Level l) {
  switch (l) {
    case Level::El1:
      return "EL1";
    case Level::El2:
      return "EL2";
    case Level::El3:
      return "EL3";
    case Level::SEl2:
      return "S-EL2";
    case Level::SEl1:
      return "S-EL1";
  }
  return "?";
}

class HopObserver {
 public:
  virtual ~HopObserver() = default;
  // A model at `level` took the call; `handler` names what acted ("spmc:rxtx_map").
  virtual void on_hop(Level level, std::string_view handler) = 0;
  // A readable note about the call in progress ("FFA_RXTX_MAP: tx 0x80001000 not 64K aligned").
  virtual void on_note(Level level, std::string_view message) = 0;
};

// Observer-optional helper the models hold: reports go nowhere until a tracer is attached.
class HopSink {
 public:
  void attach(HopObserver* observer) { observer_ = observer; }
  void hop(Level level, std::string_view handler) const {
    if (observer_) observer_->on_hop(level, handler);
  }
  void note(Level level, std::string_view message) const {
    if (observer_) observer_->on_note(level, message);
  }
  [[nodiscard]] bool attached() const { return observer_ != nullptr; }

 private:
  HopObserver* observer_ = nullptr;
};

}  // namespace ffaemu::ffa
