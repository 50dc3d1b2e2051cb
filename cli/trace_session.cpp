#include "cli/trace_session.h"

#include <stdexcept>

#include <fmt/format.h>

namespace ffaemu::cli {

trace::BootEvent trace_event(const lnx::BootEvent& e) {
  using K = lnx::BootEventKind;
  trace::BootEvent out;
  out.level = e.level;
  out.name = e.subject;
  switch (e.kind) {
    case K::InitcallStart:
      out.kind = trace::BootKind::InitcallStart;
      break;
    case K::InitcallEnd:
      out.kind = trace::BootKind::InitcallEnd;
      out.ret = e.ret;
      break;
    case K::ProbeStart:
      out.kind = trace::BootKind::ProbeStart;
      out.message = e.detail;
      break;
    case K::ProbeEnd:
      out.kind = trace::BootKind::ProbeEnd;
      out.message = e.detail;
      out.ret = e.ret;
      break;
    case K::DeferredAdd:
      out.kind = trace::BootKind::Defer;
      out.message = "added to the deferred probe pending list";
      break;
    case K::PkvmState:
      out.kind = trace::BootKind::PkvmState;
      out.name = e.detail;
      out.ret = e.ret;
      break;
    case K::Log:
      out.kind = trace::BootKind::Log;
      out.message = e.detail;
      break;
    default:
      out.kind = trace::BootKind::Log;
      out.message = fmt::format("{}: {}{}", lnx::boot_event_kind_name(e.kind), e.subject,
                                e.detail.empty() ? "" : " " + e.detail);
      break;
  }
  return out;
}

TraceSession::TraceSession(const TraceArgs& args, System& system, std::ostream& out, bool color,
                           std::optional<trace::DrcovModule> module)
    : system_(system) {
  trace::TraceLevel level = trace::parse_trace_level(args.level);
  std::ostream* sink = &out;
  if (args.file && *args.file != "-") {
    file_buf_ = std::make_unique<trace::AsyncFileBuf>(*args.file);
    sink = &file_.emplace(file_buf_.get());
    color = false;
  }
  trace::WriterOptions options;
  options.color = color && args.format == "text";
  options.explain = args.explain;
  fw::SmcccVersion v = system.options().firmware().smccc;
  options.smccc_major = v.major;
  options.smccc_minor = v.minor;
  if (module) options.module = *module;
  writer_ = trace::make_writer(args.format, *sink, options);
  if (level == trace::TraceLevel::Insn) tracer_.emplace(system.engine(), *writer_);
  system.recorder().on_record = [this](const trace::CallRecord& c) {
    if (tracer_) {
      tracer_->call(c);
    } else {
      writer_->call(c);
    }
  };
}

TraceSession::~TraceSession() {
  system_.recorder().on_record = nullptr;
}

void TraceSession::on_boot_event(const lnx::BootEvent& event) {
  trace::BootEvent e = trace_event(event);
  if (tracer_) {
    tracer_->boot(e);
  } else {
    writer_->boot(e);
  }
}

void TraceSession::finish() {
  if (tracer_) tracer_->flush();
  writer_->finish();
  if (file_buf_) file_buf_->close();
}

}  // namespace ffaemu::cli
