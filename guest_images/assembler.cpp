// The LLVM-free half of the assembler: diagnostics, limits on the source text, and linking the
// object from guest_images/llvm/ at a base address (applying or reporting every relocation).
#include "guest_images/assembler.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "guest_images/assembler_llvm.h"

namespace ffaemu::guest {
namespace {

constexpr size_t kMaxSourceBytes = size_t{1} << 20;
// LLVM parses and evaluates expressions recursively; these keep it well inside the stack.
constexpr int kMaxExpressionDepth = 256;    // brackets plus a run of unary operators
constexpr int kMaxOperatorsPerLine = 1024;  // each binary operator is one level of evaluation

// R_AARCH64_* codes, from "ELF for the Arm 64-bit Architecture", section "Relocation codes".
enum : uint32_t {
  kAbs64 = 257,
  kAbs32 = 258,
  kAbs16 = 259,
  kPrel64 = 260,
  kPrel32 = 261,
  kPrel16 = 262,
  kMovwUabsG0 = 263,
  kMovwUabsG0Nc = 264,
  kMovwUabsG1 = 265,
  kMovwUabsG1Nc = 266,
  kMovwUabsG2 = 267,
  kMovwUabsG2Nc = 268,
  kMovwUabsG3 = 269,
  kLdPrelLo19 = 273,
  kAdrPrelLo21 = 274,
  kAdrPrelPgHi21 = 275,
  kAdrPrelPgHi21Nc = 276,
  kAddAbsLo12Nc = 277,
  kLdst8AbsLo12Nc = 278,
  kTstBr14 = 279,
  kCondBr19 = 280,
  kJump26 = 282,
  kCall26 = 283,
  kLdst16AbsLo12Nc = 284,
  kLdst32AbsLo12Nc = 285,
  kLdst64AbsLo12Nc = 286,
  kLdst128AbsLo12Nc = 299,
};

std::string hex(uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string digits;
  do {
    digits.insert(digits.begin(), kDigits[value & 0xf]);
    value >>= 4;
  } while (value != 0);
  return "0x" + digits;
}

Diagnostic error_at(Diagnostic where, std::string message) {
  where.kind = "error";
  where.message = std::move(message);
  return where;
}

Diagnostic file_error(std::string_view file, std::string message) {
  Diagnostic d;
  d.file = std::string(file);
  return error_at(std::move(d), std::move(message));
}

// Scans the source for expressions deep or long enough to exhaust the stack in LLVM.
class ExpressionLimits {
 public:
  ExpressionLimits(std::string_view source, std::string_view file) : source_(source), file_(file) {}

  std::optional<Diagnostic> check() {
    for (size_t i = 0; i < source_.size(); ++i) {
      if (auto problem = step(i)) return problem;
    }
    return std::nullopt;
  }

 private:
  std::optional<Diagnostic> step(size_t& i) {
    const char c = source_[i];
    if (c == '\n') return next_line(i);
    if (in_block_comment_) {
      if (source_.substr(i, 2) == "*/") in_block_comment_ = false;
      return std::nullopt;
    }
    if (source_.substr(i, 2) == "//") {
      i = std::min(source_.find('\n', i), source_.size()) - 1;
      return std::nullopt;
    }
    if (source_.substr(i, 2) == "/*") {
      in_block_comment_ = true;
      return std::nullopt;
    }
    if (c == '"') {
      skip_string(i);
      return std::nullopt;
    }
    return count(c, i);
  }

  std::optional<Diagnostic> count(char c, size_t i) {
    if (c == ' ' || c == '\t') return std::nullopt;
    const bool unary = c == '-' || c == '+' || c == '~' || c == '!';
    unary_run_ = unary ? unary_run_ + 1 : 0;
    if (c == '(' || c == '[' || c == '{') ++nesting_;
    if ((c == ')' || c == ']' || c == '}') && nesting_ > 0) --nesting_;
    if (unary || std::string_view("*/%&|^<>").find(c) != std::string_view::npos) ++operators_;
    if (nesting_ + unary_run_ > kMaxExpressionDepth) {
      return at(i, "expression nesting is deeper than " + std::to_string(kMaxExpressionDepth) +
                       " levels");
    }
    if (operators_ > kMaxOperatorsPerLine) {
      return at(i, "line has more than " + std::to_string(kMaxOperatorsPerLine) + " operators");
    }
    return std::nullopt;
  }

  std::optional<Diagnostic> next_line(size_t i) {
    ++line_;
    line_start_ = i + 1;
    nesting_ = unary_run_ = operators_ = 0;
    return std::nullopt;
  }

  void skip_string(size_t& i) {
    for (++i; i < source_.size() && source_[i] != '"' && source_[i] != '\n'; ++i) {
      if (source_[i] == '\\') ++i;
    }
    if (i < source_.size() && source_[i] == '\n') --i;
  }

  Diagnostic at(size_t i, std::string message) const {
    Diagnostic d;
    d.file = std::string(file_);
    d.line = line_;
    d.column = static_cast<int>(i - line_start_) + 1;
    const size_t end = std::min(source_.find('\n', line_start_), source_.size());
    d.source_line = std::string(source_.substr(line_start_, end - line_start_));
    if (!d.source_line.empty() && d.source_line.back() == '\r') d.source_line.pop_back();
    return error_at(std::move(d), std::move(message));
  }

  std::string_view source_;
  std::string_view file_;
  int line_ = 1;
  size_t line_start_ = 0;
  bool in_block_comment_ = false;
  int nesting_ = 0;
  int unary_run_ = 0;
  int operators_ = 0;
};

std::optional<Diagnostic> check_source(std::string_view source, std::string_view file) {
  if (source.size() > kMaxSourceBytes) {
    return file_error(file, "source is " + std::to_string(source.size()) + " bytes; the limit is " +
                                std::to_string(kMaxSourceBytes));
  }
  return ExpressionLimits(source, file).check();
}

bool fits_signed(int64_t value, int bits) {
  const int64_t limit = int64_t{1} << (bits - 1);
  return value >= -limit && value < limit;
}

// The range R_AARCH64_ABS32/PREL32-style data relocations accept: signed or unsigned.
bool fits_int_or_uint(uint64_t value, int bits) {
  return fits_signed(static_cast<int64_t>(value), bits) || value < (uint64_t{1} << bits);
}

// Applies one relocation to .text linked at `base`; returns the problem, if any.
class RelocationApplier {
 public:
  RelocationApplier(const detail::Relocation& r, uint64_t base, std::vector<uint8_t>& text)
      : r_(r), text_(text), p_(base + r.offset) {
    const uint64_t s = r.place == detail::TargetPlace::text ? base + r.value : r.value;
    x_ = s + static_cast<uint64_t>(r.addend);
  }

  std::optional<std::string> apply() {
    switch (r_.type) {
      case kAbs64:
        return data(x_, 8);
      case kAbs32:
        return fits_int_or_uint(x_, 32) ? data(x_, 4) : out_of_range();
      case kAbs16:
        return fits_int_or_uint(x_, 16) ? data(x_, 2) : out_of_range();
      case kPrel64:
        return data(x_ - p_, 8);
      case kPrel32:
        return fits_int_or_uint(x_ - p_, 32) ? data(x_ - p_, 4) : out_of_range();
      case kPrel16:
        return fits_int_or_uint(x_ - p_, 16) ? data(x_ - p_, 2) : out_of_range();
      case kCall26:
      case kJump26:
        return branch(28, 0, 26);
      case kCondBr19:
      case kLdPrelLo19:
        return branch(21, 5, 19);
      case kTstBr14:
        return branch(16, 5, 14);
      case kAdrPrelLo21:
        return adr(static_cast<int64_t>(x_ - p_), 21);
      case kAdrPrelPgHi21:
        return adr(page_delta(), 33, 12);
      case kAdrPrelPgHi21Nc:
        return adr(page_delta(), 64, 12);
      default:
        return apply_absolute_field();
    }
  }

 private:
  std::optional<std::string> apply_absolute_field() {
    switch (r_.type) {
      case kAddAbsLo12Nc:
      case kLdst8AbsLo12Nc:
        return low12(0);
      case kLdst16AbsLo12Nc:
        return low12(1);
      case kLdst32AbsLo12Nc:
        return low12(2);
      case kLdst64AbsLo12Nc:
        return low12(3);
      case kLdst128AbsLo12Nc:
        return low12(4);
      case kMovwUabsG0:
      case kMovwUabsG1:
      case kMovwUabsG2:
        return movw((r_.type - kMovwUabsG0) / 2, true);
      case kMovwUabsG0Nc:
      case kMovwUabsG1Nc:
      case kMovwUabsG2Nc:
        return movw((r_.type - kMovwUabsG0Nc) / 2, false);
      case kMovwUabsG3:
        return movw(3, false);
      default:
        return "unsupported relocation " + r_.type_name + " against " + target();
    }
  }

  [[nodiscard]] std::string target() const {
    return r_.symbol.empty() ? "an absolute address" : "'" + r_.symbol + "'";
  }

  [[nodiscard]] std::string out_of_range() const {
    return r_.type_name + " against " + target() + " is out of range (value " + hex(x_) +
           ", place " + hex(p_) + ")";
  }

  [[nodiscard]] bool inside(size_t bytes) const {
    return r_.offset <= text_.size() && bytes <= text_.size() - r_.offset;
  }

  std::optional<std::string> data(uint64_t value, size_t bytes) {
    if (!inside(bytes)) return r_.type_name + " lies outside .text";
    for (size_t i = 0; i < bytes; ++i)
      text_[r_.offset + i] = static_cast<uint8_t>(value >> (8 * i));
    return std::nullopt;
  }

  // Replaces the instruction bits under `mask` with `field` (already shifted into place).
  std::optional<std::string> patch(uint32_t mask, uint32_t field) {
    if (!inside(4)) return r_.type_name + " lies outside .text";
    uint32_t insn = 0;
    for (size_t i = 0; i < 4; ++i)
      insn |= uint32_t{text_[r_.offset + i]} << (8 * i);
    return data((insn & ~mask) | (field & mask), 4);
  }

  // A PC-relative word offset of `range_bits` bits, stored as `field_bits` bits at bit `shift`.
  std::optional<std::string> branch(int range_bits, int shift, int field_bits) {
    const auto delta = static_cast<int64_t>(x_ - p_);
    if (delta % 4 != 0) return r_.type_name + " target " + target() + " is not 4-byte aligned";
    if (!fits_signed(delta, range_bits)) return out_of_range();
    const uint32_t mask = ((uint32_t{1} << field_bits) - 1) << shift;
    return patch(mask, static_cast<uint32_t>(delta >> 2) << shift);
  }

  [[nodiscard]] int64_t page_delta() const {
    constexpr uint64_t kPage = ~uint64_t{0xfff};
    return static_cast<int64_t>((x_ & kPage) - (p_ & kPage));
  }

  // ADR/ADRP immediate: immlo in bits 30:29, immhi in bits 23:5.
  std::optional<std::string> adr(int64_t value, int range_bits, int scale = 0) {
    if (range_bits < 64 && !fits_signed(value, range_bits)) return out_of_range();
    const auto imm = static_cast<uint32_t>(value >> scale);
    return patch(0x60ffffe0, ((imm & 3) << 29) | (((imm >> 2) & 0x7ffff) << 5));
  }

  // ADD/LDR/STR unsigned 12-bit offset in bits 21:10, scaled by the access size.
  std::optional<std::string> low12(int scale) {
    const uint64_t low = x_ & 0xfff;
    if (low % (uint64_t{1} << scale) != 0) {
      return r_.type_name + " against " + target() + " is not aligned to the " +
             std::to_string(1 << scale) + "-byte access";
    }
    return patch(0x003ffc00, static_cast<uint32_t>(low >> scale) << 10);
  }

  // MOVZ/MOVK 16-bit chunk `group` in bits 20:5.
  std::optional<std::string> movw(uint32_t group, bool check) {
    if (check && group < 3 && (x_ >> (16 * (group + 1))) != 0) return out_of_range();
    return patch(0x001fffe0, static_cast<uint32_t>((x_ >> (16 * group)) & 0xffff) << 5);
  }

  const detail::Relocation& r_;
  std::vector<uint8_t>& text_;
  uint64_t p_;
  uint64_t x_ = 0;  // S + A
};

std::optional<std::string> relocation_problem(const detail::Relocation& r, uint64_t base,
                                              std::vector<uint8_t>& text) {
  switch (r.place) {
    case detail::TargetPlace::undefined:
      return "undefined symbol '" + r.symbol + "' (" + r.type_name + ")";
    case detail::TargetPlace::elsewhere:
      return "'" + r.symbol + "' is defined in section '" + r.section +
             "', but a guest image is .text only";
    case detail::TargetPlace::text:
    case detail::TargetPlace::absolute:
      break;
  }
  return RelocationApplier(r, base, text).apply();
}

// Links the object at `base`: checks the base, applies relocations, collects every problem.
class Linker {
 public:
  Linker(detail::ObjectCode object, std::string_view file, uint64_t base)
      : object_(std::move(object)), file_(file), base_(base) {}

  Image link() {
    check_base();
    for (const detail::Relocation& r : object_.relocations) {
      if (auto problem = relocation_problem(r, base_, object_.text)) {
        object_.diagnostics.push_back(error_at(r.use, std::move(*problem)));
      }
    }
    if (object_.has_errors()) throw AssemblyError(in_source_order(std::move(object_.diagnostics)));
    return image();
  }

 private:
  void check_base() {
    if (base_ % object_.text_alignment != 0) {
      object_.diagnostics.push_back(file_error(
          file_, "base " + hex(base_) + " is not aligned to the " +
                     std::to_string(object_.text_alignment) + "-byte alignment .text asks for"));
    }
    if (!object_.text.empty() &&
        base_ > std::numeric_limits<uint64_t>::max() - (object_.text.size() - 1)) {
      object_.diagnostics.push_back(
          file_error(file_, "image of " + std::to_string(object_.text.size()) +
                                " bytes does not fit below 2^64 at base " + hex(base_)));
    }
  }

  // Diagnostics by line and column; those without a line (about the whole file) last.
  static std::vector<Diagnostic> in_source_order(std::vector<Diagnostic> diagnostics) {
    std::stable_sort(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& a, const Diagnostic& b) {
                       return std::tuple(a.line == 0, a.line, a.column) <
                              std::tuple(b.line == 0, b.line, b.column);
                     });
    return diagnostics;
  }

  Image image() {
    Image image;
    image.file = std::string(file_);
    image.base = base_;
    image.bytes = std::move(object_.text);
    image.symbols = std::move(object_.symbols);
    for (Symbol& symbol : image.symbols)
      symbol.address += base_;
    std::sort(image.symbols.begin(), image.symbols.end(), [](const Symbol& a, const Symbol& b) {
      return a.address != b.address ? a.address < b.address : a.name < b.name;
    });
    return image;
  }

  detail::ObjectCode object_;
  std::string_view file_;
  uint64_t base_;
};

std::string caret_line(const std::string& source_line, int column) {
  std::string caret;
  for (int i = 0; i + 1 < column; ++i) {
    const bool tab = static_cast<size_t>(i) < source_line.size() && source_line[i] == '\t';
    caret += tab ? '\t' : ' ';
  }
  return caret + '^';
}

std::string join(const std::vector<Diagnostic>& diagnostics) {
  std::string text;
  for (const Diagnostic& d : diagnostics) {
    if (!text.empty()) text += '\n';
    text += d.str();
  }
  return text.empty() ? "assembly failed" : text;
}

}  // namespace

bool detail::ObjectCode::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.kind == "error"; });
}

std::string Diagnostic::str() const {
  std::string text = file;
  if (line > 0) text += ':' + std::to_string(line);
  if (line > 0 && column > 0) text += ':' + std::to_string(column);
  text += ": " + kind + ": " + message;
  if (line > 0) text += '\n' + source_line;
  if (line > 0 && column > 0) text += '\n' + caret_line(source_line, column);
  return text;
}

AssemblyError::AssemblyError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

uint64_t Image::symbol(std::string_view name) const {
  for (const Symbol& s : symbols) {
    if (s.name == name) return s.address;
  }
  throw std::out_of_range("guest image '" + file + "' has no symbol '" + std::string(name) + "'");
}

bool Image::has_symbol(std::string_view name) const {
  return std::any_of(symbols.begin(), symbols.end(),
                     [name](const Symbol& s) { return s.name == name; });
}

Image assemble(std::string_view source, std::string_view file, uint64_t base) {
  if (auto problem = check_source(source, file)) throw AssemblyError({std::move(*problem)});
  return Linker(detail::assemble_object(source, file), file, base).link();
}

}  // namespace ffaemu::guest
