// ffaemu matrix [MATRIX.yaml] [--jobs N] [--shard I/N] [--junit FILE] [--json]: boot every
// combination of the axes, compare each outcome with the rules, print a table in a fixed order
// whatever --jobs, exit 1 on any mismatch.
#include <atomic>
#include <fstream>
#include <ostream>
#include <thread>

#include <fmt/format.h>

#include "cli/app.h"
#include "cli/boot.h"
#include "cli/commands.h"
#include "cli/scenario.h"

namespace ffaemu::cli {
namespace {

struct Row {
  SystemOptions system;
  nlohmann::ordered_json outcome;
  OutcomeExpect expected;
  std::string difference;  // empty: pass
  std::string error;       // the combination could not run
};

std::string label(const Matrix& m, const SystemOptions& o) {
  std::string s;
  for (const auto& [axis, values] : m.axes)
    s += fmt::format("{}{}={}", s.empty() ? "" : ",", axis, o.get(axis));
  return s.empty() ? "base" : s;
}

Row evaluate(const Matrix& m, const SystemOptions& system, Machine& machine) {
  Row row;
  row.system = system;
  row.expected = m.expected(system);
  try {
    row.outcome = outcome_json(
        boot(system, {.record_calls = false, .partitions = {}}, nullptr, &machine).result);
    row.difference = outcome_mismatch(row.expected, row.outcome);
  } catch (const std::exception& e) {
    row.error = e.what();
    row.difference = fmt::format("did not run: {}", e.what());
  }
  return row;
}

std::vector<Row> run_all(const Matrix& m, const std::vector<SystemOptions>& systems, int jobs,
                         const Io& io) {
  std::vector<Row> rows(systems.size());
  std::atomic<size_t> next{0}, done{0};
  auto worker = [&] {
    Machine machine;  // one per thread, reset for every combination
    for (size_t i = next++; i < systems.size(); i = next++) {
      rows[i] = evaluate(m, systems[i], machine);
      size_t n = ++done;
      if (io.color) io.err << fmt::format("\r[{}/{}]", n, systems.size()) << std::flush;
    }
  };
  std::vector<std::thread> pool;
  for (int j = 1; j < jobs; ++j)
    pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool)
    t.join();
  if (io.color && !systems.empty()) io.err << "\r" << std::string(20, ' ') << "\r";
  return rows;
}

std::string cell(const nlohmann::ordered_json& outcome, const char* pointer) {
  if (outcome.is_null()) return "?";
  nlohmann::ordered_json v = outcome.at(nlohmann::ordered_json::json_pointer(pointer));
  if (v.is_null()) return "-";
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  return v.is_string() ? v.get<std::string>() : v.dump();
}

void print_table(const Matrix& m, const std::vector<Row>& rows, const Io& io) {
  std::string header;
  for (const auto& [axis, values] : m.axes)
    header += fmt::format("{:<22}", axis);
  io.out << header
         << fmt::format("{:<5} {:<21} {:<12} {:<8} {:<7} {}\n", "ffa", "ready_at", "probe_error",
                        "tpm", "ima", "result");
  for (const Row& r : rows) {
    std::string line;
    for (const auto& [axis, values] : m.axes)
      line += fmt::format("{:<22}", r.system.get(axis));
    std::string result = r.difference.empty() ? (r.expected.empty() ? "ran" : "pass") : "FAIL";
    if (io.color) result = fmt::format("\x1b[{}m{}\x1b[0m", r.difference.empty() ? 32 : 31, result);
    io.out << line
           << fmt::format("{:<5} {:<21} {:<12} {:<8} {:<7} {}\n", cell(r.outcome, "/ffa_ready"),
                          cell(r.outcome, "/ready_at"), cell(r.outcome, "/probe_error"),
                          cell(r.outcome, "/consumers/tpm"), cell(r.outcome, "/consumers/ima"),
                          result);
  }
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

bool write_junit(const std::string& path, const Matrix& m, const std::vector<Row>& rows) {
  std::ofstream out(path);
  size_t failures = 0;
  for (const Row& r : rows)
    failures += !r.difference.empty();
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out << fmt::format("<testsuite name=\"ffaemu-matrix\" tests=\"{}\" failures=\"{}\">\n",
                     rows.size(), failures);
  for (const Row& r : rows) {
    out << fmt::format("  <testcase classname=\"{}\" name=\"{}\"", xml_escape(m.file),
                       xml_escape(label(m, r.system)));
    if (r.difference.empty()) {
      out << "/>\n";
    } else {
      out << fmt::format(">\n    <failure message=\"{}\"/>\n  </testcase>\n",
                         xml_escape(r.difference));
    }
  }
  out << "</testsuite>\n";
  return static_cast<bool>(out);
}

std::optional<std::pair<size_t, size_t>> parse_shard(const std::string& s) {
  unsigned i = 0, n = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%u/%u%c", &i, &n, &tail) != 2 || n == 0 || i == 0 || i > n) {
    return std::nullopt;
  }
  return std::pair<size_t, size_t>{i, n};
}

}  // namespace

int matrix_command(const MatrixArgs& args, Io io) {
  Matrix m;
  try {
    m = args.file ? load_matrix(*args.file)
                  : parse_matrix(default_matrix_text(), kDefaultMatrixName);
  } catch (const InputError& e) {
    io.err << "ffaemu: " << e.what() << "\n";
    return kExitUsage;
  }
  for (const auto& [name, value] : args.fixed) {
    (void)m.base.set(name, value);
    for (auto& [axis, values] : m.axes) {
      if (axis == name) values = {value};
    }
  }
  std::vector<SystemOptions> all = m.combinations();
  std::vector<SystemOptions> mine;
  if (args.shard) {
    auto shard = parse_shard(*args.shard);
    if (!shard) {
      io.err << fmt::format("ffaemu: bad --shard '{}': expected I/N with 1 <= I <= N\n",
                            *args.shard);
      return kExitUsage;
    }
    for (size_t k = 0; k < all.size(); ++k) {
      if (k % shard->second == shard->first - 1) mine.push_back(all[k]);
    }
  } else {
    mine = all;
  }
  if (args.jobs < 1) {
    io.err << "ffaemu: --jobs must be at least 1\n";
    return kExitUsage;
  }
  std::vector<Row> rows = run_all(m, mine, args.jobs, io);
  size_t failures = 0;
  for (const Row& r : rows)
    failures += !r.difference.empty();

  if (args.json) {
    for (const Row& r : rows) {
      nlohmann::ordered_json expected = nlohmann::ordered_json::object();
      for (const auto& [k, v] : r.expected)
        expected[k] = v;
      io.out << nlohmann::ordered_json{{"system", system_json(r.system)},
                                       {"outcome", r.outcome},
                                       {"expected", expected},
                                       {"pass", r.difference.empty()}}
                    .dump()
             << "\n";
    }
  } else {
    print_table(m, rows, io);
    for (const Row& r : rows) {
      if (!r.difference.empty())
        io.out << fmt::format("FAIL {}: {}\n", label(m, r.system), r.difference);
    }
    io.out << fmt::format("{} combinations, {} passed, {} failed\n", rows.size(),
                          rows.size() - failures, failures);
  }
  if (args.junit && !write_junit(*args.junit, m, rows)) {
    io.err << fmt::format("ffaemu: cannot write '{}'\n", *args.junit);
    return kExitUsage;
  }
  return failures ? kExitFailed : kExitOk;
}

}  // namespace ffaemu::cli
