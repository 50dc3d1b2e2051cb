// JSON Lines: every line one JSON object with a "type", no blank lines; exact instruction lines
// for a small guest; calls in issue order after the smc that raised them; boot events.
#include "trace/writers/jsonl.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/trace/trace_fixture.h"

namespace ffaemu::trace::testing {
namespace {

using nlohmann::json;

std::vector<json> parse_lines(const std::string& text) {
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  std::vector<json> out;
  for (const std::string& line : lines_of(text)) {
    EXPECT_FALSE(line.empty()) << "blank line";
    json j = json::parse(line);  // throws on anything but one JSON value
    EXPECT_TRUE(j.is_object()) << line;
    out.push_back(j);
  }
  return out;
}

TEST(JsonlTrace, EveryLineIsOneObjectWithAType) {
  std::vector<json> events = parse_lines(trace_of(kVersionGuest, "jsonl", true));
  ASSERT_EQ(events.size(), 11u);
  std::vector<std::string> types;
  for (const json& e : events)
    types.push_back(e.at("type"));
  EXPECT_EQ(types, (std::vector<std::string>{"insn", "insn", "insn", "insn", "insn", "call", "call",
                                             "insn", "insn", "insn", "insn"}));
}

TEST(JsonlTrace, InstructionLinesAreExact) {
  std::vector<std::string> lines = lines_of(trace_of(kVersionGuest, "jsonl", true));
  ASSERT_EQ(lines.size(), 11u);
  EXPECT_EQ(lines[0],
            R"({"type":"insn","seq":0,"pc":"0x40000000","size":4,"word":"0xd2800c60",)"
            R"("bytes":"600c80d2","disasm":"movz x0, #0x63","regs":{"x0":["0x0","0x63"]},)"
            R"("mem":[]})");
  EXPECT_EQ(lines[4],
            R"({"type":"insn","seq":4,"pc":"0x40000010","size":4,"word":"0xd4000003",)"
            R"("bytes":"030000d4","disasm":"smc #0","regs":{"x0":["0x84000063","0x10002"]},)"
            R"("mem":[]})");
  EXPECT_EQ(lines[8], R"({"type":"insn","seq":6,"pc":"0x40000018","size":4,"word":"0xf9000041",)"
                      R"("bytes":"410000f9","disasm":"str x1, [x2]","regs":{},)"
                      R"("mem":[{"op":"w","addr":"0x40100000","size":8,"value":"0x10004"}]})");
  EXPECT_EQ(lines[9],
            R"({"type":"insn","seq":7,"pc":"0x4000001c","size":4,"word":"0xf9400043",)"
            R"("bytes":"430040f9","disasm":"ldr x3, [x2]","regs":{"x3":["0x0","0x10004"]},)"
            R"("mem":[{"op":"r","addr":"0x40100000","size":8,"value":"0x10004"}]})");
  EXPECT_EQ(lines[10],
            R"({"type":"insn","seq":8,"pc":"0x40000020","size":4,"word":"0xd65f03c0",)"
            R"("bytes":"c0035fd6","disasm":"ret","regs":{"pc":["0x40000020","0xfff0000"]},)"
            R"("mem":[]})");
}

TEST(JsonlTrace, CallLineCarriesTheCallJsonFieldsAndWhereItCameFrom) {
  std::vector<json> events = parse_lines(trace_of(kVersionGuest, "jsonl", false));
  ASSERT_EQ(events.size(), 2u);
  const json& c = events[0];
  EXPECT_EQ(c["type"], "call");
  EXPECT_EQ(c["seq"], 0);
  EXPECT_EQ(c["depth"], 0);
  EXPECT_EQ(c["pc"], "0x40000010");
  EXPECT_EQ(c["from"], "EL1");
  EXPECT_EQ(c["conduit"], "smc");
  EXPECT_EQ(c["name"], "FFA_VERSION");
  EXPECT_EQ(c["in"]["x0"], "0x84000063");
  EXPECT_EQ(c["in"]["x1"], "0x10002");
  EXPECT_EQ(c["out"]["x0"], "0x10002");
  EXPECT_EQ(c["path"], json::parse(R"(["EL1","EL2","EL3","S-EL2","EL3","EL2","EL1"])"));
  EXPECT_EQ(c["steps"][1], json::parse(R"({"level":"EL2","handler":"pkvm:do_ffa_version"})"));
  EXPECT_EQ(c["result"], "v1.2 (0x10002)");
  EXPECT_EQ(c["notes"], json::parse(R"(["negotiated v1.2"])"));
  EXPECT_EQ(events[1]["seq"], 1);
  EXPECT_EQ(events[1]["depth"], 1);
  EXPECT_EQ(events[1]["from"], "EL2");
}

TEST(JsonlTrace, BootLineHasEveryFieldWithNullForAMissingReturn) {
  std::ostringstream out;
  JsonlWriter w(out);
  w.boot({BootKind::InitcallStart, "rootfs_initcall", "ffa_init", std::nullopt, ""});
  w.boot({BootKind::InitcallEnd, "rootfs_initcall", "ffa_init", -19, ""});
  w.finish();
  EXPECT_EQ(out.str(),
            R"({"type":"boot","seq":0,"kind":"initcall_start","level":"rootfs_initcall",)"
            R"("name":"ffa_init","ret":null,"message":""})"
            "\n"
            R"({"type":"boot","seq":1,"kind":"initcall_end","level":"rootfs_initcall",)"
            R"("name":"ffa_init","ret":-19,"message":""})"
            "\n");
}

TEST(JsonlTrace, ReloadedCodeAtTheSameAddressGetsItsOwnDisassembly) {
  GuestRun guest;
  std::ostringstream out;
  {
    std::unique_ptr<Writer> w = make_writer("jsonl", out);
    InsnTracer tracer(guest.engine, *w);
    for (uint32_t movz : {0xd2800023u, 0xd2800043u}) {  // movz x3, #0x1, then #0x2
      guest.load({movz, 0xd65f03c0});
      ASSERT_TRUE(guest.engine.run(kCodeBase).exited());
    }
    w->finish();
  }
  std::vector<json> events = parse_lines(out.str());
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0]["disasm"], "movz x3, #0x1");
  EXPECT_EQ(events[2]["disasm"], "movz x3, #0x2");
  EXPECT_EQ(events[2]["word"], "0xd2800043");
  EXPECT_EQ(events[2]["regs"], json::parse(R"({"x3":["0x1","0x2"]})"));
}

TEST(JsonlTrace, QuotesInDisassemblyAreEscaped) {
  std::ostringstream out;
  JsonlWriter w(out);
  emu::CpuRegs regs;
  InsnEvent e;
  e.disasm = "odd \"text\"\\";
  e.before = &regs;
  w.insn(e);
  w.finish();
  EXPECT_EQ(json::parse(out.str())["disasm"], "odd \"text\"\\");
}

}  // namespace
}  // namespace ffaemu::trace::testing
