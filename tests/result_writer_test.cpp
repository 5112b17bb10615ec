#include "formats/result_writer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

namespace fostat {
namespace {

std::string table(const std::vector<std::string>& columns,
                  const std::vector<std::vector<Cell>>& rows, std::size_t prefix_rows) {
    std::ostringstream out;
    auto writer = make_table_writer(out, prefix_rows);
    writer->begin(columns);
    for (const auto& row : rows)
        writer->row(row);
    writer->end();
    return out.str();
}

TEST(TableWriter, AlignsColumnsNumbersRightNullAsDash) {
    EXPECT_EQ(table({"server", "n", "note"},
                    {{std::string("dhcp1"), std::int64_t{5}, std::string("x")},
                     {std::string("dhcp-two"), std::int64_t{1234}, Cell()}},
                    kTablePrefixRows),
              "server       n  note\n"
              "dhcp1        5  x\n"
              "dhcp-two  1234  -\n");
    EXPECT_EQ(table({"a"}, {}, kTablePrefixRows), "(no results)\n");
}

TEST(TableWriter, CountsDisplayColumnsNotBytes) {
    // 東京 is 6 bytes and 4 columns; 😀 4 bytes and 2 columns; é with a combining accent 3
    // bytes and 1 column.
    EXPECT_EQ(table({"server", "n"},
                    {{std::string("東京"), std::int64_t{1}},
                     {std::string("dhcp-😀"), std::int64_t{22}},
                     {std::string("e\xCC\x81"), std::int64_t{333}},
                     {std::string("abcdefg"), std::int64_t{4}}},
                    kTablePrefixRows),
              "server     n\n"
              "東京       1\n"
              "dhcp-😀   22\n"
              "e\xCC\x81        333\n"
              "abcdefg    4\n");
}

TEST(TableWriter, EscapesControlCharactersAndInvalidUtf8) {
    const std::string shown = table({"server", "scope"},
                                    {{std::string("x\x1b]0;evil\x07"), std::string("a\nb")},
                                     {std::string("bad\xff"), std::string("back\\slash")}},
                                    kTablePrefixRows);
    EXPECT_EQ(shown,
              "server            scope\n"
              "x\\x1b]0;evil\\x07  a\\nb\n"
              "bad\\xff           back\\\\slash\n");
    for (unsigned char c : shown)
        EXPECT_TRUE(c == '\n' || (c >= 0x20 && c < 0x7F)) << static_cast<int>(c);
}

TEST(TableWriter, SizesColumnsOnThePrefixThenStreams) {
    std::ostringstream out;
    auto writer = make_table_writer(out, 2);
    writer->begin({"server", "n"});
    writer->row({std::string("a"), std::int64_t{1}});
    EXPECT_EQ(out.str(), "");  // held until the prefix is complete
    writer->row({std::string("bb"), std::int64_t{22}});
    // The prefix is printed as soon as it is complete: nothing is held any more.
    EXPECT_EQ(out.str(),
              "server   n\n"
              "a        1\n"
              "bb      22\n");
    // A later, wider row is printed at once and pushes its own line; nothing is cut.
    writer->row({std::string("a-much-longer-name"), std::int64_t{123456}});
    writer->row({std::string("c"), std::int64_t{3}});
    const std::string streamed = out.str();
    EXPECT_EQ(streamed,
              "server   n\n"
              "a        1\n"
              "bb      22\n"
              "a-much-longer-name  123456\n"
              "c        3\n");
    writer->end();
    EXPECT_EQ(out.str(), streamed);  // nothing was held back
}

TEST(TableWriter, StreamsWithTheDefaultPrefix) {
    std::ostringstream out;
    auto writer = make_table_writer(out);
    writer->begin({"n"});
    for (std::int64_t i = 0; i < static_cast<std::int64_t>(kTablePrefixRows) - 1; ++i)
        writer->row({i});
    EXPECT_EQ(out.str(), "");
    writer->row({std::int64_t{7}});
    const std::size_t printed = out.str().size();
    EXPECT_GT(printed, 0u);
    writer->row({std::int64_t{8}});
    EXPECT_EQ(out.str().substr(printed), "  8\n");
}

TEST(JsonWriter, ReplacesBytesThatAreNotUtf8) {
    std::ostringstream out;
    auto writer = make_result_writer(OutputFormat::json, out);
    writer->begin({"server"});
    writer->row(
        {std::string("a\xff\x1b"
                     "東")});
    writer->end();
    EXPECT_EQ(out.str(), "[\n  {\"server\": \"a\xEF\xBF\xBD\\u001b東\"}\n]\n");
}

TEST(CsvWriter, KeepsNamesExact) {
    std::ostringstream out;
    auto writer = make_result_writer(OutputFormat::csv, out);
    writer->begin({"server"});
    writer->row({std::string("a\nb\x1b\xff")});
    writer->end();
    EXPECT_EQ(out.str(), "server\n\"a\nb\x1b\xff\"\n");
}

}  // namespace
}  // namespace fostat
