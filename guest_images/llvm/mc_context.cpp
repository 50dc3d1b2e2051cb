// Sets MC up for AArch64 and runs it: the source goes through the guarded target parser into an
// ELF object, written by a writer that records fixup locations and enforces the image limits.
#include <llvm/MC/MCAsmBackend.h>
#include <llvm/MC/MCAsmInfo.h>
#include <llvm/MC/MCAsmLayout.h>
#include <llvm/MC/MCAssembler.h>
#include <llvm/MC/MCCodeEmitter.h>
#include <llvm/MC/MCContext.h>
#include <llvm/MC/MCExpr.h>
#include <llvm/MC/MCFixup.h>
#include <llvm/MC/MCFragment.h>
#include <llvm/MC/MCInstrInfo.h>
#include <llvm/MC/MCObjectFileInfo.h>
#include <llvm/MC/MCObjectWriter.h>
#include <llvm/MC/MCParser/MCAsmParser.h>
#include <llvm/MC/MCParser/MCTargetAsmParser.h>
#include <llvm/MC/MCRegisterInfo.h>
#include <llvm/MC/MCSection.h>
#include <llvm/MC/MCStreamer.h>
#include <llvm/MC/MCSubtargetInfo.h>
#include <llvm/MC/MCSymbol.h>
#include <llvm/MC/MCTargetOptions.h>
#include <llvm/MC/MCValue.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Object/ObjectFile.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/SourceMgr.h>
#include <llvm/Support/raw_ostream.h>

#include <mutex>
#include <stdexcept>

#include "guest_images/llvm/llvm_internal.h"

extern "C" {
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmParser();
}

namespace ffaemu::guest::detail {
namespace {

constexpr const char* kTriple = "aarch64-none-elf";
constexpr const char* kCpu = "generic";
constexpr const char* kFeatures = "+v8.4a";  // system registers such as scr_el3 and the SEL2 names

void on_source_diagnostic(const llvm::SMDiagnostic& d, void* sink) {
  static_cast<DiagnosticSink*>(sink)->receive(d);
}

// Where a fragment's bytes come from in the source, when MC kept it.
llvm::SMLoc fragment_loc(const llvm::MCFragment& fragment) {
  if (const auto* fill = llvm::dyn_cast<llvm::MCFillFragment>(&fragment)) return fill->getLoc();
  if (const auto* org = llvm::dyn_cast<llvm::MCOrgFragment>(&fragment)) return org->getLoc();
  if (const auto* data = llvm::dyn_cast<llvm::MCDataFragment>(&fragment);
      data != nullptr && !data->getFixups().empty()) {
    return data->getFixups().front().getLoc();
  }
  return {};
}

// Forwards to the ELF writer. Records where each .text fixup comes from (MC reports relocations
// by offset only), reports sections other than .text that hold bytes, and refuses to write
// objects over kMaxImageBytes.
class RecordingWriter final : public llvm::MCObjectWriter {
 public:
  RecordingWriter(std::unique_ptr<llvm::MCObjectWriter> elf, LayoutLog& log, DiagnosticSink& sink,
                  const SourceLocator& locator)
      : elf_(std::move(elf)), log_(log), sink_(sink), locator_(locator) {}

  void reset() override { elf_->reset(); }

  void executePostLayoutBinding(llvm::MCAssembler& assembler,
                                const llvm::MCAsmLayout& layout) override {
    elf_->executePostLayoutBinding(assembler, layout);
  }

  void recordRelocation(llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout,
                        const llvm::MCFragment* fragment, const llvm::MCFixup& fixup,
                        llvm::MCValue target, uint64_t& fixed_value) override {
    if (fragment != nullptr && fragment->getParent() == text_section(assembler)) {
      const llvm::MCSymbolRefExpr* symbol = target.getSymA();
      log_.text_fixups.try_emplace(
          layout.getFragmentOffset(fragment) + fixup.getOffset(),
          FixupUse{fixup.getLoc(), symbol ? symbol->getSymbol().getName().str() : std::string()});
    }
    elf_->recordRelocation(assembler, layout, fragment, fixup, target, fixed_value);
  }

  bool isSymbolRefDifferenceFullyResolvedImpl(const llvm::MCAssembler& assembler,
                                              const llvm::MCSymbol& a, const llvm::MCSymbol& b,
                                              bool in_set) const override {
    return elf_->isSymbolRefDifferenceFullyResolvedImpl(assembler, a, b, in_set);
  }

  bool isSymbolRefDifferenceFullyResolvedImpl(const llvm::MCAssembler& assembler,
                                              const llvm::MCSymbol& symbol,
                                              const llvm::MCFragment& fragment, bool in_set,
                                              bool is_pc_rel) const override {
    return elf_->isSymbolRefDifferenceFullyResolvedImpl(assembler, symbol, fragment, in_set,
                                                        is_pc_rel);
  }

  void markGnuAbi() override { elf_->markGnuAbi(); }
  void emitAddrsigSection() override { elf_->emitAddrsigSection(); }
  void addAddrsigSymbol(const llvm::MCSymbol* symbol) override { elf_->addAddrsigSymbol(symbol); }

  uint64_t writeObject(llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) override {
    const bool fits = check_size(assembler, layout);
    if (fits) report_stray_sections(assembler, layout);
    if (!fits || assembler.getContext().hadError()) return 0;
    log_.text_alignment = text_section(assembler)->getAlignment();
    log_.written = true;
    return elf_->writeObject(assembler, layout);
  }

 private:
  static const llvm::MCSection* text_section(const llvm::MCAssembler& assembler) {
    return assembler.getContext().getObjectFileInfo()->getTextSection();
  }

  bool check_size(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) {
    uint64_t total = 0;
    for (const llvm::MCSection& section : assembler) {
      total = saturating_add(total, layout.getSectionAddressSize(&section));
    }
    if (total <= kMaxImageBytes) return true;
    sink_.add(largest_fragment_loc(assembler, layout), "error",
              "the image would be " + std::to_string(total) + " bytes; the limit is " +
                  std::to_string(kMaxImageBytes) + " bytes (" +
                  std::to_string(kMaxImageBytes >> 20) + " MiB)");
    return false;
  }

  llvm::SMLoc largest_fragment_loc(const llvm::MCAssembler& assembler,
                                   const llvm::MCAsmLayout& layout) const {
    uint64_t largest = 0;
    llvm::SMLoc loc;
    for (const llvm::MCSection& section : assembler) {
      for (const llvm::MCFragment& fragment : section) {
        const uint64_t size = assembler.computeFragmentSize(layout, fragment);
        if (size <= largest) continue;
        largest = size;
        loc = content_loc(section, fragment);
      }
    }
    return loc;
  }

  void report_stray_sections(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout) {
    for (const llvm::MCSection& section : assembler) {
      const uint64_t size = layout.getSectionAddressSize(&section);
      if (&section == text_section(assembler) || size == 0) continue;
      sink_.add(first_content_loc(assembler, layout, section), "error",
                "section '" + section.getName().str() + "' holds " + byte_count(size) +
                    ", but a guest image is .text only (put data in .text after .balign 8)");
    }
  }

  llvm::SMLoc first_content_loc(const llvm::MCAssembler& assembler, const llvm::MCAsmLayout& layout,
                                const llvm::MCSection& section) const {
    for (const llvm::MCFragment& fragment : section) {
      if (assembler.computeFragmentSize(layout, fragment) != 0) {
        return content_loc(section, fragment);
      }
    }
    return locator_.find_section_directive(section.getName());
  }

  llvm::SMLoc content_loc(const llvm::MCSection& section, const llvm::MCFragment& fragment) const {
    const llvm::SMLoc loc = fragment_loc(fragment);
    return loc.isValid() ? loc : locator_.find_section_directive(section.getName());
  }

  std::unique_ptr<llvm::MCObjectWriter> elf_;
  LayoutLog& log_;
  DiagnosticSink& sink_;
  const SourceLocator& locator_;
};

// The description objects MC needs for the target. Created once and shared by every assembly
// (and thread): MC only reads them; a parser that changes features (.arch) works on a copy.
struct TargetDescription {
  explicit TargetDescription(const llvm::Target& t)
      : target(t),
        registers(t.createMCRegInfo(kTriple)),
        asm_info(t.createMCAsmInfo(*registers, kTriple, options)),
        instructions(t.createMCInstrInfo()),
        subtarget(t.createMCSubtargetInfo(kTriple, kCpu, kFeatures)) {}

  const llvm::Target& target;
  const llvm::Triple triple{kTriple};
  const llvm::MCTargetOptions options;
  const std::unique_ptr<const llvm::MCRegisterInfo> registers;
  const std::unique_ptr<const llvm::MCAsmInfo> asm_info;
  const std::unique_ptr<const llvm::MCInstrInfo> instructions;
  const std::unique_ptr<const llvm::MCSubtargetInfo> subtarget;
};

const TargetDescription& aarch64() {
  static std::once_flag once;
  static std::unique_ptr<const TargetDescription> description;
  std::call_once(once, [] {
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmParser();
    std::string error;
    const llvm::Target* target = llvm::TargetRegistry::lookupTarget(kTriple, error);
    if (target == nullptr) throw std::runtime_error("LLVM has no AArch64 target: " + error);
    description = std::make_unique<const TargetDescription>(*target);
  });
  return *description;
}

// Runs LLVM's parser over the source, writing an ELF object into `elf` and layout facts into
// `log`. Diagnostics go to `sink`.
void run_mc(const TargetDescription& d, llvm::SourceMgr& sm, SourceLocator& locator,
            DiagnosticSink& sink, LayoutLog& log, llvm::SmallVectorImpl<char>& elf) {
  llvm::MCContext context(d.triple, d.asm_info.get(), d.registers.get(), d.subtarget.get(), &sm,
                          &d.options);
  context.setDiagnosticHandler(
      [&sink](const llvm::SMDiagnostic& diagnostic, bool, const llvm::SourceMgr&,
              std::vector<const llvm::MDNode*>&) { sink.receive(diagnostic); });
  std::unique_ptr<llvm::MCObjectFileInfo> file_info(
      d.target.createMCObjectFileInfo(context, /*PIC=*/false));
  context.setObjectFileInfo(file_info.get());

  llvm::raw_svector_ostream os(elf);
  std::unique_ptr<llvm::MCAsmBackend> backend(
      d.target.createMCAsmBackend(*d.subtarget, *d.registers, d.options));
  auto writer =
      std::make_unique<RecordingWriter>(backend->createObjectWriter(os), log, sink, locator);
  std::unique_ptr<llvm::MCCodeEmitter> emitter(
      d.target.createMCCodeEmitter(*d.instructions, *d.registers, context));
  std::unique_ptr<llvm::MCStreamer> streamer(d.target.createMCObjectStreamer(
      d.triple, context, std::move(backend), std::move(writer), std::move(emitter), *d.subtarget,
      /*RelaxAll=*/false, /*IncrementalLinkerCompatible=*/false,
      /*DWARFMustBeAtTheEnd=*/false));
  std::unique_ptr<llvm::MCAsmParser> parser(
      llvm::createMCAsmParser(sm, context, *streamer, *d.asm_info));
  std::unique_ptr<llvm::MCTargetAsmParser> target_parser(
      d.target.createMCAsmParser(*d.subtarget, *parser, *d.instructions, d.options));
  std::unique_ptr<llvm::MCTargetAsmParser> guarded =
      guard_parser(*target_parser, d.options, *d.subtarget, *d.instructions, locator);
  parser->setTargetParser(*guarded);
  parser->Run(/*NoInitialTextSection=*/false);
}

}  // namespace

ObjectCode assemble_object(std::string_view source, std::string_view file) {
  llvm::SourceMgr sm;
  sm.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(llvm::StringRef(source.data(), source.size()),
                                           llvm::StringRef(file.data(), file.size())),
      llvm::SMLoc());
  SourceLocator locator(sm, std::string(file));
  DiagnosticSink sink(locator);
  sm.setDiagHandler(&on_source_diagnostic, &sink);

  LayoutLog log;
  llvm::SmallVector<char, 0> elf;
  run_mc(aarch64(), sm, locator, sink, log, elf);

  ObjectCode object;
  if (log.written) {
    auto parsed = llvm::object::ObjectFile::createELFObjectFile(llvm::MemoryBufferRef(
        llvm::StringRef(elf.data(), elf.size()), llvm::StringRef(file.data(), file.size())));
    if (parsed) {
      read_object(**parsed, log, locator, sink, object);
    } else {
      llvm::consumeError(parsed.takeError());
      sink.add({}, "error", "internal error: LLVM wrote an object it cannot read back");
    }
  }
  object.diagnostics = sink.take();
  return object;
}

}  // namespace ffaemu::guest::detail
