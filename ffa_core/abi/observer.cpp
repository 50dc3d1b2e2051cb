#include "ffa_core/abi/observer.h"

#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_set>

namespace ffaemu::ffa {
namespace {

struct TextHash {
  using is_transparent = void;  // find() by string_view, without making a string
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

HopName HopName::keep(std::string_view text) {
  if (text.size() > UINT32_MAX) throw std::length_error("HopName: name too long");
  static std::mutex lock;
  // Nodes never move, so the views handed out stay valid; never destroyed, so they stay valid
  // through static destruction too.
  static auto& kept = *new std::unordered_set<std::string, TextHash, std::equal_to<>>;
  std::lock_guard<std::mutex> guard(lock);
  auto it = kept.find(text);
  if (it == kept.end()) it = kept.emplace(text).first;
  return {it->data(), static_cast<uint32_t>(it->size())};
}

}  // namespace ffaemu::ffa
