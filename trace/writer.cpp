#include "trace/writer.h"

#include <array>
#include <stdexcept>

#include <fmt/format.h>

#include "emu/layout.h"
#include "trace/writers/chrome.h"
#include "trace/writers/drcov.h"
#include "trace/writers/jsonl.h"
#include "trace/writers/tenet.h"
#include "trace/writers/text.h"

namespace ffaemu::trace {
namespace {

constexpr std::array<std::string_view, 5> kFormats = {"text", "jsonl", "chrome", "tenet", "drcov"};

DrcovModule module_or_default(const DrcovModule& module) {
  if (module.end > module.base) return module;
  return {emu::layout::kCodeBase, emu::layout::kCodeBase + emu::layout::kCodeSize,
          emu::layout::kCodeBase, module.path.empty() ? "guest.bin" : module.path};
}

}  // namespace

TraceLevel parse_trace_level(std::string_view text) {
  if (text == "call") return TraceLevel::Call;
  if (text == "insn") return TraceLevel::Insn;
  throw std::invalid_argument(fmt::format("unknown trace level '{}' (valid: call, insn)", text));
}

std::span<const std::string_view> trace_formats() {
  return kFormats;
}

std::unique_ptr<Writer> make_writer(std::string_view format, std::ostream& out,
                                    const WriterOptions& options) {
  if (format == "text") return std::make_unique<TextWriter>(out, options);
  if (format == "jsonl") return std::make_unique<JsonlWriter>(out);
  if (format == "chrome") return std::make_unique<ChromeWriter>(out);
  if (format == "tenet") return std::make_unique<TenetWriter>(out);
  if (format == "drcov")
    return std::make_unique<DrcovWriter>(out, module_or_default(options.module));
  throw std::invalid_argument(
      fmt::format("unknown trace format '{}' (valid: {})", format, fmt::join(kFormats, ", ")));
}

}  // namespace ffaemu::trace
