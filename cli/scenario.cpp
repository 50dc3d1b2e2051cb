#include "cli/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "cli/call_parser.h"

namespace ffaemu::cli {
namespace {

constexpr std::string_view kLevels[] = {
    "early_initcall",    "pure_initcall",          "core_initcall",        "core_initcall_sync",
    "postcore_initcall", "postcore_initcall_sync", "arch_initcall",        "arch_initcall_sync",
    "subsys_initcall",   "subsys_initcall_sync",   "fs_initcall",          "fs_initcall_sync",
    "rootfs_initcall",   "device_initcall",        "device_initcall_sync", "late_initcall",
    "late_initcall_sync"};

const std::map<std::string, uint32_t>& property_names() {
  static const std::map<std::string, uint32_t> names = {
      {"direct-req-recv", fw::props::kDirectReqRecv},
      {"direct-req-send", fw::props::kDirectReqSend},
      {"indirect-msg", fw::props::kIndirectMsg},
      {"notification-recv", fw::props::kNotificationRecv},
      {"aarch64", fw::props::kAarch64},
      {"direct-req2-recv", fw::props::kDirectReq2Recv},
      {"direct-req2-send", fw::props::kDirectReq2Send},
  };
  return names;
}

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i)
    out += fmt::format("{}{}", i ? ", " : "", items[i]);
  return out;
}

// Reads YAML nodes of one file, turning every problem into an InputError at the node.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  [[nodiscard]] SourcePos pos(const YAML::Node& n) const {
    YAML::Mark m = n.Mark();
    return {file_, m.line + 1, m.column + 1};
  }
  [[noreturn]] void fail(const YAML::Node& n, const std::string& message) const {
    throw InputError(pos(n), message);
  }

  YAML::Node load(std::string_view text) const {
    try {
      YAML::Node root = YAML::Load(std::string(text));
      if (!root.IsMap()) {
        // An empty or comment-only file has no node to point at (yaml-cpp's mark is -1).
        YAML::Mark m = root.Mark();
        throw InputError({file_, std::max(m.line, 0) + 1, std::max(m.column, 0) + 1},
                         "expected a mapping of keys at the top level");
      }
      return root;
    } catch (const YAML::ParserException& e) {
      throw InputError({file_, e.mark.line + 1, e.mark.column + 1}, e.msg);
    }
  }

  std::string kind(const YAML::Node& n) const {
    if (n.IsMap()) return "a mapping";
    if (n.IsSequence()) return "a list";
    if (n.IsNull()) return "nothing";
    return fmt::format("'{}'", n.Scalar());
  }

  std::string scalar(const YAML::Node& n, std::string_view what) const {
    if (!n.IsScalar()) fail(n, fmt::format("{}: expected a value, got {}", what, kind(n)));
    return n.Scalar();
  }

  uint64_t integer(const YAML::Node& n, std::string_view what) const {
    std::string s = scalar(n, what);
    try {
      size_t used = 0;
      uint64_t v = std::stoull(s, &used, 0);
      if (used == s.size() && s[0] != '-') return v;
    } catch (const std::exception&) {
    }
    fail(n, fmt::format("{}: expected a number (decimal or 0x hex), got '{}'", what, s));
  }

  bool boolean(const YAML::Node& n, std::string_view what) const {
    std::string s = scalar(n, what);
    if (s == "true") return true;
    if (s == "false") return false;
    fail(n, fmt::format("{}: expected true or false, got '{}'", what, s));
  }

  // Checks every key of a mapping is allowed and appears once; returns the pairs in order.
  std::vector<std::pair<std::string, YAML::Node>> entries(
      const YAML::Node& map, std::string_view what,
      const std::vector<std::string_view>& allowed) const {
    if (!map.IsMap()) fail(map, fmt::format("{}: expected a mapping, got {}", what, kind(map)));
    std::vector<std::pair<std::string, YAML::Node>> out;
    std::set<std::string> seen;
    for (const auto& kv : map) {
      std::string key = scalar(kv.first, what);
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
        auto hint = closest(key, allowed);
        fail(kv.first,
             fmt::format("unknown key '{}' in {}{}; valid keys: {}", key, what,
                         hint ? fmt::format(" (did you mean '{}'?)", *hint) : "", join(allowed)));
      }
      if (!seen.insert(key).second) fail(kv.first, fmt::format("duplicate key '{}'", key));
      out.emplace_back(key, kv.second);
    }
    return out;
  }

  void set_option(SystemOptions& system, const std::string& name, const YAML::Node& value) const {
    if (auto problem = system.set(name, scalar(value, name))) fail(value, *problem);
  }

 private:
  std::string file_;
};

std::vector<std::string_view> option_names() {
  std::vector<std::string_view> names;
  for (const OptionSpec& s : option_specs())
    names.push_back(s.name);
  return names;
}

std::vector<std::string_view> with_options(std::vector<std::string_view> keys) {
  for (std::string_view n : option_names())
    keys.push_back(n);
  return keys;
}

uint32_t properties(const Reader& r, const YAML::Node& n) {
  if (n.IsScalar()) return static_cast<uint32_t>(r.integer(n, "properties"));
  if (!n.IsSequence()) r.fail(n, "properties: expected a number or a list of property names");
  uint32_t bits = 0;
  std::vector<std::string_view> valid;
  for (const auto& [name, bit] : property_names())
    valid.push_back(name);
  for (const YAML::Node& item : n) {
    std::string name = r.scalar(item, "properties");
    auto it = property_names().find(name);
    if (it == property_names().end()) {
      auto hint = closest(name, valid);
      r.fail(item,
             fmt::format("unknown partition property '{}'{}; valid: {}", name,
                         hint ? fmt::format(" (did you mean '{}'?)", *hint) : "", join(valid)));
    }
    bits |= it->second;
  }
  return bits;
}

fw::PartitionConfig partition(const Reader& r, const YAML::Node& n) {
  fw::PartitionConfig p;
  bool has_id = false;
  for (const auto& [key, value] :
       r.entries(n, "partition", {"id", "uuid", "exec-contexts", "properties", "service"})) {
    if (key == "id") {
      uint64_t id = r.integer(value, "id");
      if (id < 0x8000 || id > 0xfffe) {
        r.fail(value, fmt::format("id {:#x}: a secure partition ID is 0x8000-0xfffe", id));
      }
      p.id = ffa::EndpointId(static_cast<uint16_t>(id));
      has_id = true;
    } else if (key == "uuid") {
      auto uuid = ffa::Uuid::parse(r.scalar(value, "uuid"));
      if (!uuid) r.fail(value, "uuid: expected the 8-4-4-4-12 hex form");
      p.uuid = *uuid;
    } else if (key == "exec-contexts") {
      uint64_t n_ctx = r.integer(value, "exec-contexts");
      if (n_ctx == 0 || n_ctx > 0xffff) r.fail(value, "exec-contexts: expected 1-65535");
      p.exec_contexts = static_cast<uint16_t>(n_ctx);
    } else if (key == "properties") {
      p.properties = properties(r, value);
    } else {
      p.service = r.scalar(value, "service");
      if (p.service != "tpm" && p.service != "echo") {
        r.fail(value, fmt::format("service '{}': expected tpm or echo", p.service));
      }
    }
  }
  if (!has_id) r.fail(n, "partition: 'id' is required");
  return p;
}

CallExpect call_expect(const Reader& r, const YAML::Node& n) {
  CallExpect e;
  if (n.IsScalar()) {
    e.result = n.Scalar();
  } else {
    std::vector<std::string_view> keys{"result"};
    static const std::vector<std::string> regs = [] {
      std::vector<std::string> v;
      for (int i = 0; i < emu::kSmcccRegCount; ++i)
        v.push_back(fmt::format("x{}", i));
      return v;
    }();
    for (const std::string& reg : regs)
      keys.push_back(reg);
    for (const auto& [key, value] : r.entries(n, "expect", keys)) {
      if (key == "result") {
        e.result = r.scalar(value, "result");
      } else {
        e.regs[std::stoi(key.substr(1))] = r.integer(value, key);
      }
    }
  }
  if (e.result) {
    if (auto problem = check_result_word(*e.result)) r.fail(n, *problem);
  }
  return e;
}

ScenarioCall scenario_call(const Reader& r, const YAML::Node& n) {
  ScenarioCall c;
  c.pos = r.pos(n);
  YAML::Node text_node = n;
  if (n.IsMap()) {
    bool has_call = false;
    for (const auto& [key, value] : r.entries(n, "call", {"call", "expect"})) {
      if (key == "call") {
        text_node = value;
        has_call = true;
      } else {
        c.expect = call_expect(r, value);
      }
    }
    if (!has_call) r.fail(n, "call: 'call' is required (NAME[:ARG,...])");
  }
  c.text = r.scalar(text_node, "call");
  auto parsed = parse_call(c.text);
  if (auto* e = std::get_if<CallParseError>(&parsed)) r.fail(text_node, e->message);
  c.regs = std::get<emu::SmcccRegs>(parsed);
  return c;
}

void outcome_field(const Reader& r, const std::string& key, const YAML::Node& v,
                   OutcomeExpect& out) {
  if (key == "ffa_ready" || key == "panicked") {
    out[key] = r.boolean(v, key);
  } else if (key == "partitions") {
    out[key] = r.integer(v, key);
  } else if (key == "ready_at" || key == "probe_error") {
    if (v.IsNull() || (v.IsScalar() && v.Scalar() == "null")) {
      out[key] = nullptr;
      return;
    }
    std::string s = r.scalar(v, key);
    if (key == "ready_at") {
      if (std::find(std::begin(kLevels), std::end(kLevels), s) == std::end(kLevels)) {
        auto hint = closest(s, {std::begin(kLevels), std::end(kLevels)});
        r.fail(v, fmt::format("ready_at '{}': expected an initcall level or null{}", s,
                              hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
      }
      out[key] = s;
    } else {
      try {
        size_t used = 0;
        int errno_value = std::stoi(s, &used);
        if (used == s.size() && errno_value < 0) {
          out[key] = errno_value;
          return;
        }
      } catch (const std::exception&) {
      }
      r.fail(v, fmt::format("probe_error '{}': expected a negative errno (-19) or null", s));
    }
  } else {
    std::vector<std::string_view> valid =
        key == "tpm" ? std::vector<std::string_view>{"bound", "missing", "failed"}
                     : std::vector<std::string_view>{"tpm", "bypass", "failed"};
    std::string s = r.scalar(v, key);
    if (std::find(valid.begin(), valid.end(), s) == valid.end()) {
      r.fail(v, fmt::format("consumers.{} '{}': expected {}", key, s, join(valid)));
    }
    out["consumers." + key] = s;
  }
}

OutcomeExpect outcome(const Reader& r, const YAML::Node& n) {
  OutcomeExpect out;
  for (const auto& [key, value] :
       r.entries(n, "expect",
                 {"ffa_ready", "ready_at", "probe_error", "partitions", "consumers", "panicked"})) {
    if (key != "consumers") {
      outcome_field(r, key, value, out);
      continue;
    }
    for (const auto& [who, v] : r.entries(value, "consumers", {"tpm", "ima"})) {
      outcome_field(r, who, v, out);
    }
  }
  return out;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "cannot read the file");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

InputError::InputError(SourcePos pos, const std::string& message)
    : std::runtime_error(pos.line > 0
                             ? fmt::format("{}:{}:{}: {}", pos.file, pos.line, pos.column, message)
                             : fmt::format("{}: {}", pos.file, message)),
      pos_(std::move(pos)) {}

Scenario parse_scenario(std::string_view text, const std::string& file) {
  Reader r(file);
  YAML::Node root = r.load(text);
  Scenario s;
  s.file = file;
  for (const auto& [key, value] :
       r.entries(root, "a scenario",
                 with_options({"name", "description", "partitions", "calls", "expect"}))) {
    if (key == "name") {
      s.name = r.scalar(value, key);
    } else if (key == "description") {
      (void)r.scalar(value, key);
    } else if (key == "partitions") {
      if (!value.IsSequence()) r.fail(value, "partitions: expected a list of partitions");
      s.partitions.emplace();
      for (const YAML::Node& p : value)
        s.partitions->push_back(partition(r, p));
    } else if (key == "calls") {
      if (!value.IsSequence()) r.fail(value, "calls: expected a list of calls");
      for (const YAML::Node& c : value)
        s.calls.push_back(scenario_call(r, c));
    } else if (key == "expect") {
      s.expect = outcome(r, value);
    } else {
      r.set_option(s.system, key, value);
    }
  }
  return s;
}

Scenario load_scenario(const std::string& path) {
  return parse_scenario(read_file(path), path);
}

Matrix parse_matrix(std::string_view text, const std::string& file) {
  Reader r(file);
  YAML::Node root = r.load(text);
  Matrix m;
  m.file = file;
  for (const auto& [key, value] :
       r.entries(root, "a matrix", with_options({"name", "description", "axes", "expect"}))) {
    if (key == "name" || key == "description") {
      (void)r.scalar(value, key);
    } else if (key == "axes") {
      for (const auto& [option, values] : r.entries(value, "axes", option_names())) {
        if (!values.IsSequence() || values.size() == 0) {
          r.fail(values, fmt::format("axis {}: expected a non-empty list of values", option));
        }
        std::vector<std::string> list;
        SystemOptions probe;
        for (const YAML::Node& v : values) {
          r.set_option(probe, option, v);
          list.push_back(v.Scalar());
        }
        m.axes.emplace_back(option, std::move(list));
      }
    } else if (key == "expect") {
      if (!value.IsSequence()) r.fail(value, "expect: expected a list of {when, then} rules");
      for (const YAML::Node& rule_node : value) {
        MatrixRule rule;
        rule.pos = r.pos(rule_node);
        bool has_then = false;
        for (const auto& [part, body] : r.entries(rule_node, "rule", {"when", "then"})) {
          if (part == "when") {
            SystemOptions probe;
            for (const auto& [option, v] : r.entries(body, "when", option_names())) {
              r.set_option(probe, option, v);
              rule.when[option] = v.Scalar();
            }
          } else {
            rule.then = outcome(r, body);
            has_then = true;
          }
        }
        if (!has_then) r.fail(rule_node, "rule: 'then' is required");
        m.rules.push_back(std::move(rule));
      }
    } else {
      r.set_option(m.base, key, value);
    }
  }
  return m;
}

Matrix load_matrix(const std::string& path) {
  return parse_matrix(read_file(path), path);
}

std::vector<SystemOptions> Matrix::combinations() const {
  std::vector<SystemOptions> out{base};
  for (const auto& [option, values] : axes) {
    std::vector<SystemOptions> next;
    for (const SystemOptions& partial : out) {
      for (const std::string& v : values) {
        SystemOptions o = partial;
        (void)o.set(option, v);
        next.push_back(std::move(o));
      }
    }
    out = std::move(next);
  }
  return out;
}

OutcomeExpect Matrix::expected(const SystemOptions& system) const {
  OutcomeExpect out;
  for (const MatrixRule& rule : rules) {
    bool holds = std::all_of(rule.when.begin(), rule.when.end(),
                             [&](const auto& kv) { return system.get(kv.first) == kv.second; });
    if (!holds) continue;
    for (const auto& [key, value] : rule.then)
      out[key] = value;
  }
  return out;
}

}  // namespace ffaemu::cli
