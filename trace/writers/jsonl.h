// JSON Lines (`--trace-format jsonl`, https://jsonlines.org): one object per event, one per line,
// the canonical machine form; every field is documented in docs/trace.md.
#pragma once

#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "trace/call_order.h"
#include "trace/writer.h"
#include "trace/writers/out_buffer.h"

namespace ffaemu::trace {

class JsonlWriter final : public Writer {
 public:
  explicit JsonlWriter(std::ostream& out);
  void insn(const InsnEvent& event) override;
  void call(const CallRecord& call) override;
  void boot(const BootEvent& event) override;
  void finish() override;

 private:
  static std::string site_text(const InsnEvent& event);

  OutBuffer out_;
  SiteText sites_;
  DecimalCounter seq_;
  HexCache hex_;
  uint64_t boot_seq_ = 0;
  CallOrder order_;
};

// The JSON object of one call as the jsonl writer writes it: call_json's fields plus
// "seq", "depth", "pc", "steps" (level and handler), "result" and "notes".
[[nodiscard]] nlohmann::ordered_json call_event_json(const CallRecord& call);

}  // namespace ffaemu::trace
