// FuzzAssembler: arbitrary text as a guest: diagnostics with file:line:col, or an image.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "guest_images/assembler.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace ffaemu::guest;
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    Image image = assemble(text, "fuzz.S", 0x40004000);
    if (image.bytes.size() > (16u << 20)) std::abort();  // the assembler's size cap
  } catch (const AssemblyError& e) {
    for (const Diagnostic& d : e.diagnostics()) {
      if (d.file != "fuzz.S" || d.message.empty()) {
        std::fprintf(stderr, "diagnostic without a location: %s\n", d.str().c_str());
        std::abort();
      }
    }
  }
  return 0;
}
