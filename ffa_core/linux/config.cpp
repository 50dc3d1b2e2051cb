#include "ffa_core/linux/config.h"

#include <array>
#include <utility>

namespace ffaemu::lnx {
namespace {

template <typename T, size_t N>
std::optional<T> lookup(const std::array<std::pair<T, std::string_view>, N>& table,
                        std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <typename T, size_t N>
std::string_view name_of(const std::array<std::pair<T, std::string_view>, N>& table, T value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "?";
}

constexpr std::array<std::pair<FfaVariant, std::string_view>, 5> kVariants{{
    {FfaVariant::ModuleInit, "module-init"},
    {FfaVariant::RootfsInitcall, "rootfs-initcall"},
    {FfaVariant::RfcRootDevice, "rfc-root-device"},
    {FfaVariant::PlatformDriverProbe, "platform-driver-probe"},
    {FfaVariant::PlatformDriver, "platform-driver"},
}};
constexpr std::array<std::pair<LinkOrder, std::string_view>, 2> kLinkOrders{{
    {LinkOrder::ArchFirst, "arch-first"},
    {LinkOrder::DriversFirst, "drivers-first"},
}};
constexpr std::array<std::pair<ImaMode, std::string_view>, 2> kImaModes{{
    {ImaMode::Late, "late"},
    {ImaMode::LateSyncRetry, "late-sync-retry"},
}};
constexpr std::array<std::pair<uint64_t, std::string_view>, 3> kPageSizes{{
    {4096, "4k"},
    {16384, "16k"},
    {65536, "64k"},
}};
constexpr std::array<std::pair<emu::ConduitKind, std::string_view>, 2> kConduits{{
    {emu::ConduitKind::Smc, "smc"},
    {emu::ConduitKind::Hvc, "hvc"},
}};

}  // namespace

std::optional<FfaVariant> parse_variant(std::string_view text) {
  return lookup(kVariants, text);
}
std::string_view variant_name(FfaVariant variant) {
  return name_of(kVariants, variant);
}
std::optional<LinkOrder> parse_link_order(std::string_view text) {
  return lookup(kLinkOrders, text);
}
std::string_view link_order_name(LinkOrder order) {
  return name_of(kLinkOrders, order);
}
std::optional<ImaMode> parse_ima_mode(std::string_view text) {
  return lookup(kImaModes, text);
}
std::string_view ima_mode_name(ImaMode mode) {
  return name_of(kImaModes, mode);
}
std::optional<uint64_t> parse_page_size(std::string_view text) {
  return lookup(kPageSizes, text);
}
std::string_view page_size_name(uint64_t bytes) {
  return name_of(kPageSizes, bytes);
}
std::optional<emu::ConduitKind> parse_conduit(std::string_view text) {
  return lookup(kConduits, text);
}

}  // namespace ffaemu::lnx
