// What the MC front end's files (guest_images/llvm/*.cpp) share: the image limit, the layout
// facts the object writer hands to the object reader, and each file's entry point.
#pragma once

#include <llvm/Support/SMLoc.h>

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <unordered_map>

#include "guest_images/assembler_llvm.h"
#include "guest_images/llvm/diagnostics.h"

namespace llvm {
class MCInstrInfo;
class MCSubtargetInfo;
class MCTargetAsmParser;
class MCTargetOptions;
namespace object {
class ObjectFile;
}  // namespace object
}  // namespace llvm

namespace ffaemu::guest::detail {

constexpr uint64_t kMaxImageBytes = uint64_t{16} << 20;  // all sections together

inline uint64_t saturating_add(uint64_t a, uint64_t b) {
  return a > std::numeric_limits<uint64_t>::max() - b ? std::numeric_limits<uint64_t>::max()
                                                      : a + b;
}

inline std::string byte_count(uint64_t bytes) {
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

struct FixupUse {
  llvm::SMLoc loc;
  std::string symbol;
};

// What RecordingWriter learns while MC lays the object out.
struct LayoutLog {
  std::unordered_map<uint64_t, FixupUse> text_fixups;  // by offset in .text
  uint64_t text_alignment = 1;
  bool written = false;
};

// Wraps the AArch64 target parser `inner` in the guards of parse_guard.cpp.
std::unique_ptr<llvm::MCTargetAsmParser> guard_parser(llvm::MCTargetAsmParser& inner,
                                                      const llvm::MCTargetOptions& options,
                                                      const llvm::MCSubtargetInfo& sti,
                                                      const llvm::MCInstrInfo& mii,
                                                      SourceLocator& locator);

// Reads .text, its symbols and relocations from the ELF object MC wrote into `object`.
void read_object(const llvm::object::ObjectFile& elf, const LayoutLog& log,
                 const SourceLocator& locator, DiagnosticSink& sink, ObjectCode& object);

}  // namespace ffaemu::guest::detail
