// How models report the path of a call through the exception levels, for traces and JSON
// (`EL1 -> EL2 pkvm:do_ffa_rxtx_map -> EL3 spmd -> S-EL2 spmc:rxtx_map -> ... -> EL1`), and the
// guest mistakes they answered with an error (Hafnium's rule: a misbehaving caller is an event,
// not an emulator error).
#pragma once

#include <cstddef>
#include <cstdint>
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

// What acted at a level ("spmc:rxtx_map"), as text that lives as long as the process: a string
// literal, or text kept by HopName::keep(). Models report a hop on every call, and an observer
// may keep the name as it is: copying or interning each one showed in a boot's time.
class HopName {
 public:
  constexpr HopName() = default;
  // From a string literal (consteval: a local array would not compile).
  template <size_t N>
  consteval HopName(const char (&literal)[N]) : data_(literal), size_(N - 1) {}

  // `text`, kept for the rest of the process: one copy per distinct text, shared by all threads.
  // For names made at run time (a partition's); each call takes a lock.
  [[nodiscard]] static HopName keep(std::string_view text);

  [[nodiscard]] constexpr std::string_view view() const { return {data_, size_}; }
  [[nodiscard]] constexpr bool empty() const { return size_ == 0; }
  friend constexpr bool operator==(HopName a, HopName b) { return a.view() == b.view(); }

 private:
  constexpr HopName(const char* data, uint32_t size) : data_(data), size_(size) {}

  // A 32-bit size, so that a trace's path step can keep a name in a pointer and a size of 12
  // bytes (trace/call_recorder.h, PathStep); keep() refuses longer text.
  const char* data_ = nullptr;
  uint32_t size_ = 0;
};

class HopObserver {
 public:
  virtual ~HopObserver() = default;
  // A model at `level` took the call; `handler` names what acted ("spmc:rxtx_map").
  virtual void on_hop(Level level, HopName handler) = 0;
  // A readable note about the call in progress ("FFA_RXTX_MAP: tx 0x80001000 not 64K aligned").
  virtual void on_note(Level level, std::string_view message) = 0;
};

// Observer-optional helper the models hold: reports go nowhere until a tracer is attached.
class HopSink {
 public:
  void attach(HopObserver* observer) { observer_ = observer; }
  void hop(Level level, HopName handler) const {
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
