#include "cli/options.h"

#include <algorithm>
#include <stdexcept>

#include <fmt/format.h>

namespace ffaemu::cli {
namespace {

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = up;
    }
  }
  return row[b.size()];
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += i + 1 == items.size() ? " or " : ", ";
    out += items[i];
  }
  return out;
}

}  // namespace

const std::vector<OptionSpec>& option_specs() {
  static const std::vector<OptionSpec> specs = {
      {"conduit", {"smc", "hvc"}, "smc", "PSCI conduit in the firmware description (DT method)"},
      {"pkvm", {"off", "on"}, "on", "kvm-arm.mode=protected"},
      {"driver",
       {"module-init", "rootfs-initcall", "rfc-root-device", "platform-driver-probe",
        "platform-driver"},
       "platform-driver",
       "FF-A core driver variant"},
      {"link-order",
       {"arch-first", "drivers-first"},
       "arch-first",
       "order of arch/ and drivers/ within one initcall level"},
      {"smccc-version",
       {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"},
       "1.2",
       "what SMCCC_VERSION answers"},
      {"spmc", {"hafnium", "tf-a-el3"}, "hafnium", "SPMC persona"},
      {"ffa-version", {"1.0", "1.1", "1.2"}, "1.2", "highest FF-A version the SPMC implements"},
      {"rxtx-min", {"4k", "16k", "64k"}, "4k", "FFA_FEATURES(RXTX_MAP) minimum buffer size"},
      {"page-size", {"4k", "16k", "64k"}, "4k", "kernel PAGE_SIZE"},
      {"ima",
       {"late", "late-sync-retry"},
       "late",
       "IMA late init only, or with the retry at late_initcall_sync"},
  };
  return specs;
}

const OptionSpec* find_option(std::string_view name) {
  for (const OptionSpec& s : option_specs()) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::optional<std::string_view> closest(std::string_view word,
                                        const std::vector<std::string_view>& choices) {
  std::optional<std::string_view> best;
  size_t best_distance = std::max<size_t>(2, word.size() / 3) + 1;
  for (std::string_view c : choices) {
    size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

SystemOptions::SystemOptions() {
  for (const OptionSpec& s : option_specs())
    values_[std::string(s.name)] = s.default_value;
}

std::optional<std::string> SystemOptions::set(std::string_view name, std::string_view value) {
  const OptionSpec* spec = find_option(name);
  if (!spec) {
    std::vector<std::string_view> names;
    for (const OptionSpec& s : option_specs())
      names.push_back(s.name);
    auto hint = closest(name, names);
    return fmt::format("unknown option '{}'{}", name,
                       hint ? fmt::format(" (did you mean '{}'?)", *hint) : "");
  }
  if (std::find(spec->values.begin(), spec->values.end(), value) == spec->values.end()) {
    auto hint = closest(value, spec->values);
    return fmt::format("bad value '{}' for {}: expected {}{}", value, name, join(spec->values),
                       hint ? fmt::format(" (did you mean '{}'?)", *hint) : "");
  }
  values_[std::string(name)] = value;
  return std::nullopt;
}

const std::string& SystemOptions::get(std::string_view name) const {
  auto it = values_.find(name);
  if (it == values_.end()) throw std::out_of_range(fmt::format("no system option '{}'", name));
  return it->second;
}

bool SystemOptions::is_default() const {
  return std::all_of(option_specs().begin(), option_specs().end(),
                     [this](const OptionSpec& s) { return get(s.name) == s.default_value; });
}

emu::ConduitKind SystemOptions::conduit() const {
  return get("conduit") == "hvc" ? emu::ConduitKind::Hvc : emu::ConduitKind::Smc;
}

bool SystemOptions::pkvm() const {
  return get("pkvm") == "on";
}

uint64_t SystemOptions::page_size() const {
  return *fw::parse_rxtx_min(get("page-size"));
}

fw::FirmwareConfig SystemOptions::firmware() const {
  fw::FirmwareConfig config;
  config.smccc = *fw::parse_smccc_version(get("smccc-version"));
  config.spmc = *fw::parse_persona(get("spmc"));
  config.ffa_version = *fw::parse_ffa_version(get("ffa-version"));
  config.rxtx_min_bytes = *fw::parse_rxtx_min(get("rxtx-min"));
  return config;
}

}  // namespace ffaemu::cli
