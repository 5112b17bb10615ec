#include "formats/csv.h"

#include <gtest/gtest.h>

#include "fostat/error.h"

namespace fostat {
namespace {

std::vector<std::vector<std::string>> read_all(const std::string& text,
                                               std::size_t chunk = SIZE_MAX) {
    StringSource in(text, chunk);
    CsvReader reader(in, "t.csv");
    std::vector<std::vector<std::string>> out;
    std::vector<std::string_view> fields;
    while (reader.next(fields))
        out.emplace_back(fields.begin(), fields.end());
    return out;
}

std::string error_of(const std::string& text) {
    try {
        read_all(text);
    } catch (const InputError& e) {
        return e.what();
    }
    return "no error";
}

using Rows = std::vector<std::vector<std::string>>;

TEST(Csv, ReadsRecordsOfRfc4180) {
    const struct {
        std::string input;
        Rows expected;
    } cases[] = {
        {"a,b,c\n", {{"a", "b", "c"}}},
        {"a,b,c", {{"a", "b", "c"}}},
        {"a,b\r\nc,d\r\n", {{"a", "b"}, {"c", "d"}}},
        {"a,,c\n", {{"a", "", "c"}}},
        {"a,b,\n", {{"a", "b", ""}}},
        {"\"a,b\",c\n", {{"a,b", "c"}}},
        {"\"say \"\"hi\"\"\",x\n", {{"say \"hi\"", "x"}}},
        {"\"two\nlines\",x\n", {{"two\nlines", "x"}}},
        {"\"\",x\n", {{"", "x"}}},
        {"a\n\n\nb\n", {{"a"}, {"b"}}},
        {"\xEF\xBB\xBFh1,h2\n", {{"h1", "h2"}}},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(read_all(c.input), c.expected) << c.input;
        EXPECT_EQ(read_all(c.input, 1), c.expected) << "byte by byte: " << c.input;
    }
}

TEST(Csv, RecordsSpanningReadsAndLargeBuffersKeepTheirFields) {
    std::string text;
    for (int i = 0; i < 50'000; ++i)
        text += "\"row " + std::to_string(i) + "\",x,\"q\"\"\"\n";
    const Rows rows = read_all(text, 4093);
    ASSERT_EQ(rows.size(), 50'000u);
    EXPECT_EQ(rows[49'999], (std::vector<std::string>{"row 49999", "x", "q\""}));
}

TEST(Csv, ErrorsNameTheFileAndLine) {
    EXPECT_EQ(error_of("a,b\n\"open,c\n"),
              "t.csv:2: a quoted field is never closed (end of input reached)");
    EXPECT_EQ(error_of("a\nb\"c\n\"\n"),
              "t.csv:2: field 1: a quote inside an unquoted field; quote the whole field");
    EXPECT_EQ(
        error_of("a\n\"x\"y,z\n"),
        "t.csv:2: field 1: text after a closing quote; a quote inside a field is written \"\"");
}

TEST(Csv, LineNumbersCountNewlinesInsideQuotes) {
    StringSource in("a\n\"b\nc\"\nd\n");
    CsvReader reader(in, "t.csv");
    std::vector<std::string_view> fields;
    std::vector<std::uint64_t> lines;
    while (reader.next(fields))
        lines.push_back(reader.line());
    EXPECT_EQ(lines, (std::vector<std::uint64_t>{1, 2, 4}));
}

TEST(Csv, RefusesAnEndlessRecord) {
    const std::string text(3 << 20, 'x');
    EXPECT_NE(error_of(text).find("t.csv:1: a record longer than"), std::string::npos);
}

TEST(Csv, CellsAreQuotedAndFormulasNeutralised) {
    const struct {
        std::string cell;
        std::string expected;
    } cases[] = {
        {"plain", "plain"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"two\nlines", "\"two\nlines\""},
        {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
        {"+cmd", "'+cmd"},
        {"-cmd", "'-cmd"},
        {"@cmd", "'@cmd"},
        {"\tx", "'\tx"},
        {"=a,b", "\"'=a,b\""},
        {"-12", "-12"},
        {"+3.5", "+3.5"},
        {"", ""},
    };
    for (const auto& c : cases) {
        std::string out;
        append_csv_cell(out, c.cell);
        EXPECT_EQ(out, c.expected) << c.cell;
        // What the reader gives back of the written cell is the cell itself.
        const Rows back = read_all(out + ",end\n");
        ASSERT_EQ(back.size(), 1u);
        EXPECT_EQ(std::string(unneutralise(back[0][0])), c.cell);
    }
}

TEST(Csv, ExcerptsAreBoundedAndPrintable) {
    EXPECT_EQ(excerpt("abc"), "'abc'");
    EXPECT_EQ(excerpt(std::string("a\0b\x01\xff", 5)), "'a\\x00b\\x01\\xff'");
    EXPECT_EQ(excerpt("caf\xc3\xa9 \xe6\x9d\xb1"), "'caf\xc3\xa9 \xe6\x9d\xb1'");  // UTF-8 kept
    EXPECT_EQ(excerpt(std::string(39, 'x') + "\xe6\x9d\xb1z"),
              "'" + std::string(39, 'x') + "\xe6\x9d\xb1...'");  // cut after a character
    EXPECT_EQ(excerpt(std::string(100, 'x')), "'" + std::string(40, 'x') + "...'");
}

}  // namespace
}  // namespace fostat
