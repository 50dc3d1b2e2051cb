// Reads .text, its symbols and its relocations back from the ELF object MC wrote, placing each
// relocation at the source line that uses its symbol.
#include <llvm/ADT/SmallString.h>
#include <llvm/ADT/StringExtras.h>
#include <llvm/Object/ELFObjectFile.h>
#include <llvm/Object/ObjectFile.h>

#include <optional>

#include "guest_images/llvm/llvm_internal.h"

namespace ffaemu::guest::detail {
namespace {

template <typename T>
T value_or(llvm::Expected<T> expected, T fallback) {
  if (expected) return std::move(*expected);
  llvm::consumeError(expected.takeError());
  return fallback;
}

bool is_mapping_symbol(llvm::StringRef name) {
  return name == "$x" || name == "$d" || name.startswith("$x.") || name.startswith("$d.");
}

// Reads .text, its symbols and relocations from the ELF object MC wrote.
class ElfReader {
 public:
  ElfReader(const llvm::object::ObjectFile& elf, const LayoutLog& log, const SourceLocator& locator,
            DiagnosticSink& sink)
      : elf_(elf), log_(log), locator_(locator), sink_(sink) {}

  void read_into(ObjectCode& object) {
    const std::optional<llvm::object::SectionRef> text = find_text();
    if (!text) return;
    const llvm::StringRef bytes = value_or(text->getContents(), llvm::StringRef());
    object.text.assign(bytes.bytes_begin(), bytes.bytes_end());
    object.text_alignment = log_.text_alignment;
    read_symbols(*text, object);
    read_relocations(*text, object);
  }

 private:
  [[nodiscard]] std::optional<llvm::object::SectionRef> find_text() const {
    for (const llvm::object::SectionRef& section : elf_.sections()) {
      if (value_or(section.getName(), llvm::StringRef()) == ".text") return section;
    }
    return std::nullopt;
  }

  void read_symbols(const llvm::object::SectionRef& text, ObjectCode& object) {
    for (const llvm::object::SymbolRef& symbol : elf_.symbols()) {
      const auto type = value_or(symbol.getType(), llvm::object::SymbolRef::ST_Unknown);
      const auto flags = value_or(symbol.getFlags(), uint32_t{0});
      const llvm::StringRef name = value_or(symbol.getName(), llvm::StringRef());
      if (type == llvm::object::SymbolRef::ST_File || type == llvm::object::SymbolRef::ST_Debug ||
          name.empty() || is_mapping_symbol(name)) {
        continue;
      }
      if ((flags & llvm::object::SymbolRef::SF_Common) != 0) {
        sink_.add(locator_.find_common_directive(name), "error",
                  "common symbol '" + name.str() +
                      "' needs memory outside .text, but a guest image is .text only");
        continue;
      }
      if (section_of(symbol) == text) {
        object.symbols.push_back({name.str(), value_or(symbol.getValue(), uint64_t{0})});
      }
    }
  }

  void read_relocations(const llvm::object::SectionRef& text, ObjectCode& object) {
    for (const llvm::object::SectionRef& section : elf_.sections()) {
      const auto relocated = value_or(section.getRelocatedSection(), elf_.section_end());
      if (relocated == elf_.section_end() || *relocated != text) continue;
      for (const llvm::object::RelocationRef& relocation : section.relocations()) {
        object.relocations.push_back(convert(relocation, text));
      }
    }
  }

  Relocation convert(const llvm::object::RelocationRef& relocation,
                     const llvm::object::SectionRef& text) const {
    Relocation r;
    r.offset = relocation.getOffset();
    r.type = static_cast<uint32_t>(relocation.getType());
    llvm::SmallString<32> type_name;
    relocation.getTypeName(type_name);
    r.type_name = type_name.str().str();
    r.addend = value_or(llvm::object::ELFRelocationRef(relocation).getAddend(), int64_t{0});
    place_target(relocation.getSymbol(), text, r);
    if (auto use = log_.text_fixups.find(r.offset); use != log_.text_fixups.end()) {
      if (!use->second.symbol.empty()) r.symbol = use->second.symbol;
      r.use = locator_.position(use->second.loc);
    } else {
      r.use = locator_.position({});
    }
    point_at_symbol(r.use, r.symbol);
    return r;
  }

  // Moves the column from the start of the statement to the symbol's name, when the line spells
  // it out (it may not, inside a macro expansion).
  static void point_at_symbol(Diagnostic& use, const std::string& symbol) {
    if (use.column <= 0 || symbol.empty()) return;
    const auto is_name_char = [](char c) {
      return llvm::isAlnum(c) || c == '_' || c == '.' || c == '$';
    };
    const std::string& line = use.source_line;
    for (size_t at = line.find(symbol, static_cast<size_t>(use.column - 1));
         at != std::string::npos; at = line.find(symbol, at + 1)) {
      const size_t end = at + symbol.size();
      if ((at == 0 || !is_name_char(line[at - 1])) &&
          (end == line.size() || !is_name_char(line[end]))) {
        use.column = static_cast<int>(at) + 1;
        return;
      }
    }
  }

  void place_target(llvm::object::symbol_iterator symbol, const llvm::object::SectionRef& text,
                    Relocation& r) const {
    if (symbol == elf_.symbol_end()) {
      r.place = TargetPlace::absolute;
      return;
    }
    r.symbol = value_or(symbol->getName(), llvm::StringRef()).str();
    const auto flags = value_or(symbol->getFlags(), uint32_t{0});
    const auto section = section_of(*symbol);
    if ((flags & llvm::object::SymbolRef::SF_Undefined) != 0) {
      r.place = TargetPlace::undefined;
    } else if ((flags & llvm::object::SymbolRef::SF_Absolute) != 0) {
      r.place = TargetPlace::absolute;
      r.value = value_or(symbol->getValue(), uint64_t{0});
    } else if (section == text) {
      r.place = TargetPlace::text;
      r.value = value_or(symbol->getValue(), uint64_t{0});
    } else {
      r.place = TargetPlace::elsewhere;
      r.section = (flags & llvm::object::SymbolRef::SF_Common) != 0
                      ? "COMMON"
                      : value_or(section.getName(), llvm::StringRef("?")).str();
    }
  }

  [[nodiscard]] llvm::object::SectionRef section_of(const llvm::object::SymbolRef& symbol) const {
    const auto section = value_or(symbol.getSection(), elf_.section_end());
    return section == elf_.section_end() ? llvm::object::SectionRef() : *section;
  }

  const llvm::object::ObjectFile& elf_;
  const LayoutLog& log_;
  const SourceLocator& locator_;
  DiagnosticSink& sink_;
};

}  // namespace

void read_object(const llvm::object::ObjectFile& elf, const LayoutLog& log,
                 const SourceLocator& locator, DiagnosticSink& sink, ObjectCode& object) {
  ElfReader(elf, log, locator, sink).read_into(object);
}

}  // namespace ffaemu::guest::detail
