// The result writers: the format's name, the CSV writer, and the choice among them.
#include "formats/result_writer.h"

#include "formats/canonical_csv.h"
#include "formats/csv.h"
#include "fostat/error.h"
#include "fostat/text.h"
#include "writers.h"

namespace fostat {

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
    if (const auto* f = std::get_if<Figure>(&cell))
        return f->text;
    return std::get<std::string>(cell);
}

namespace {

// RFC 4180: one line of columns, then one per row; NULL is an empty cell.
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
            "openmetrics is written by status and samples alone; use table, csv or json");
    throw InputError(excerpt(text) + " is not one of table, csv, json" +
                     (openmetrics_allowed ? ", openmetrics" : ""));
}

std::unique_ptr<ResultWriter> make_result_writer(OutputFormat format, std::ostream& out) {
    switch (format) {
        case OutputFormat::table:
            return make_table_writer(out);
        case OutputFormat::csv:
            return std::make_unique<CsvWriter>(out);
        case OutputFormat::json:
            return make_json_writer(out);
        case OutputFormat::openmetrics:
            break;
    }
    throw Error(
        "openmetrics has no result writer: status writes it (reports/status_openmetrics.h)");
}

}  // namespace fostat
