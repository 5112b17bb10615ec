// The table format: aligned columns for a terminal, numbers to the right, NULL as "-".
#include <algorithm>

#include "format/canonical_csv.h"
#include "format/result_writer.h"
#include "fostat/error.h"

namespace fostat {
namespace {

std::string cell_text(const Cell& cell) {
    if (std::holds_alternative<std::monostate>(cell))
        return "-";
    if (const auto* i = std::get_if<std::int64_t>(&cell))
        return std::to_string(*i);
    if (const auto* d = std::get_if<double>(&cell)) {
        std::string out;
        append_decimal(out, *d);
        return out;
    }
    return std::get<std::string>(cell);
}

bool right_aligned(const Cell& cell) {
    return std::holds_alternative<std::int64_t>(cell) || std::holds_alternative<double>(cell);
}

class TableWriter : public ResultWriter {
  public:
    explicit TableWriter(std::ostream& out) : out_(out) {}

    void begin(const std::vector<std::string>& columns) override {
        columns_ = columns;
        widths_.clear();
        for (const auto& c : columns)
            widths_.push_back(c.size());
    }
    void row(const std::vector<Cell>& cells) override {
        std::vector<std::string> texts;
        std::vector<bool> right;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            texts.push_back(cell_text(cells[i]));
            right.push_back(right_aligned(cells[i]));
            widths_[i] = std::max(widths_[i], texts.back().size());
        }
        rows_.push_back(std::move(texts));
        right_.push_back(std::move(right));
    }
    void end() override {
        if (rows_.empty()) {
            out_ << "(no results)\n";
            return;
        }
        std::vector<bool> header_right(columns_.size(), false);
        for (std::size_t i = 0; i < columns_.size(); ++i)
            header_right[i] = right_[0][i];
        print(columns_, header_right);
        for (std::size_t r = 0; r < rows_.size(); ++r)
            print(rows_[r], right_[r]);
    }

  private:
    void print(const std::vector<std::string>& texts, const std::vector<bool>& right) {
        std::string line;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (i > 0)
                line += "  ";
            const std::string pad(widths_[i] - texts[i].size(), ' ');
            const bool last = i + 1 == texts.size();
            line += right[i] ? pad + texts[i] : texts[i] + (last ? "" : pad);
        }
        out_ << line << '\n';
    }

    std::ostream& out_;
    std::vector<std::string> columns_;
    std::vector<std::size_t> widths_;
    std::vector<std::vector<std::string>> rows_;
    std::vector<std::vector<bool>> right_;
};

class CsvWriter : public ResultWriter {
  public:
    explicit CsvWriter(std::ostream& out) : out_(out) {}
    void begin(const std::vector<std::string>& columns) override {
        std::string line;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (i > 0)
                line.push_back(',');
            append_csv_cell(line, columns[i]);
        }
        out_ << line << '\n';
    }
    void row(const std::vector<Cell>& cells) override {
        std::string line;
        for (std::size_t i = 0; i < cells.size(); ++i) {
            if (i > 0)
                line.push_back(',');
            if (!std::holds_alternative<std::monostate>(cells[i])) {
                append_csv_cell(line, cell_text(cells[i]));
            }
        }
        out_ << line << '\n';
    }
    void end() override {}

  private:
    std::ostream& out_;
};

}  // namespace

std::unique_ptr<ResultWriter> make_json_writer(std::ostream& out);  // json.cpp

OutputFormat parse_output_format(std::string_view text, bool openmetrics_allowed) {
    if (text == "table")
        return OutputFormat::table;
    if (text == "csv")
        return OutputFormat::csv;
    if (text == "json")
        return OutputFormat::json;
    if (text == "openmetrics" && openmetrics_allowed)
        return OutputFormat::openmetrics;
    if (text == "openmetrics")
        throw InputError(
            "--format: openmetrics is written by status alone; use table, csv or json");
    throw InputError("--format: " + excerpt(text) + " is not one of table, csv, json" +
                     (openmetrics_allowed ? ", openmetrics" : ""));
}

std::unique_ptr<ResultWriter> make_result_writer(OutputFormat format, std::ostream& out) {
    switch (format) {
        case OutputFormat::table:
            return std::make_unique<TableWriter>(out);
        case OutputFormat::csv:
            return std::make_unique<CsvWriter>(out);
        case OutputFormat::json:
            return make_json_writer(out);
        case OutputFormat::openmetrics:
            break;
    }
    throw Error("openmetrics has no result writer: status writes it (format/openmetrics.h)");
}

}  // namespace fostat
