// Every `console` block in README.md and docs/*.md is run: a line "$ ffaemu ARGS" is executed
// in-process and the lines after it, up to the next "$" or the end of the block, must be its exact
// output. FFAEMU_UPDATE_DOCS=1 rewrites the blocks from the real output instead.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/app.h"

namespace ffaemu::cli {
namespace {

namespace fs = std::filesystem;

struct Example {
  std::string file;
  size_t line = 0;  // of the "$" line, 1-based
  std::vector<std::string> args;
  std::string expected;
  size_t first = 0, last = 0;  // expected output lines [first, last) in the file
};

std::vector<std::string> split_args(const std::string& command) {
  std::istringstream in(command);
  std::vector<std::string> args;
  for (std::string a; in >> a;)
    args.push_back(a);
  return args;
}

std::vector<std::string> lines_of(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);)
    lines.push_back(l);
  return lines;
}

std::vector<Example> examples_in(const fs::path& path, const std::vector<std::string>& lines) {
  std::vector<Example> out;
  bool in_console = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& l = lines[i];
    if (!in_console) {
      in_console = l == "```console";
      continue;
    }
    if (l == "```") {
      in_console = false;
      continue;
    }
    if (l.rfind("$ ffaemu ", 0) != 0) continue;
    Example e;
    e.file = path.string();
    e.line = i + 1;
    e.args = split_args(l.substr(9));
    e.first = i + 1;
    size_t j = i + 1;
    for (; j < lines.size() && lines[j] != "```" && lines[j].rfind("$ ", 0) != 0; ++j) {
      e.expected += lines[j] + "\n";
    }
    e.last = j;
    out.push_back(std::move(e));
  }
  return out;
}

std::string run(const Example& e) {
  std::ostringstream out, err;
  ffaemu_main(e.args, out, err);
  std::string text = out.str() + err.str();
  // Trailing spaces are invisible in docs; compare without them.
  std::string trimmed;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) {
    l.erase(l.find_last_not_of(' ') + 1);
    trimmed += l + "\n";
  }
  return trimmed;
}

std::vector<fs::path> documents() {
  fs::path root(FFAEMU_SOURCE_DIR);
  std::vector<fs::path> docs{root / "README.md"};
  for (const auto& entry : fs::directory_iterator(root / "docs")) {
    if (entry.path().extension() == ".md") docs.push_back(entry.path());
  }
  std::sort(docs.begin(), docs.end());
  return docs;
}

TEST(Docs, EveryConsoleExample_PrintsWhatTheDocShows) {
  // Examples name files relative to the top of the repository.
  fs::current_path(FFAEMU_SOURCE_DIR);
  bool update = std::getenv("FFAEMU_UPDATE_DOCS") != nullptr;
  size_t checked = 0;
  for (const fs::path& doc : documents()) {
    std::vector<std::string> lines = lines_of(doc);
    std::vector<Example> examples = examples_in(doc, lines);
    if (update) {
      for (auto it = examples.rbegin(); it != examples.rend(); ++it) {
        std::istringstream got(run(*it));
        std::vector<std::string> fresh;
        for (std::string l; std::getline(got, l);)
          fresh.push_back(l);
        lines.erase(lines.begin() + static_cast<long>(it->first),
                    lines.begin() + static_cast<long>(it->last));
        lines.insert(lines.begin() + static_cast<long>(it->first), fresh.begin(), fresh.end());
      }
      std::ofstream out(doc);
      for (const std::string& l : lines)
        out << l << "\n";
      continue;
    }
    for (const Example& e : examples) {
      EXPECT_EQ(run(e), e.expected) << e.file << ":" << e.line;
      ++checked;
    }
  }
  if (!update) {
    EXPECT_GT(checked, 0u);
  }
}

}  // namespace
}  // namespace ffaemu::cli
