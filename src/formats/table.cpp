// The table format: aligned columns for a terminal, numbers to the right, NULL as "-".
#include <algorithm>

#include "formats/result_writer.h"
#include "fostat/text.h"
#include "writers.h"

namespace fostat {
namespace {

bool right_aligned(const Cell& cell) {
    return std::holds_alternative<std::int64_t>(cell) || std::holds_alternative<double>(cell) ||
           std::holds_alternative<Figure>(cell);
}

class TableWriter : public ResultWriter {
  public:
    TableWriter(std::ostream& out, std::size_t prefix_rows)
        : out_(out), prefix_rows_(prefix_rows) {}

    void begin(const std::vector<std::string>& columns) override {
        columns_.clear();
        widths_.clear();
        for (const auto& c : columns) {
            columns_.push_back(terminal_text(c));
            widths_.push_back(display_width(columns_.back()));
        }
        rows_.clear();
        right_.clear();
        streaming_ = false;
    }
    void row(const std::vector<Cell>& cells) override {
        std::vector<std::string> texts;
        std::vector<bool> right;
        texts.reserve(cells.size());
        right.reserve(cells.size());
        for (const Cell& cell : cells) {
            if (const auto* s = std::get_if<std::string>(&cell))
                texts.push_back(terminal_text(*s));
            else
                texts.push_back(cell_text(cell));
            right.push_back(right_aligned(cell));
        }
        if (streaming_) {
            print(texts, right);
            return;
        }
        for (std::size_t i = 0; i < texts.size(); ++i)
            widths_[i] = std::max(widths_[i], display_width(texts[i]));
        rows_.push_back(std::move(texts));
        right_.push_back(std::move(right));
        if (rows_.size() >= prefix_rows_)
            print_held();
    }
    void end() override {
        if (streaming_)
            return;
        if (rows_.empty()) {
            out_ << "(no results)\n";
            return;
        }
        print_held();
    }

  private:
    // Prints the header and the rows held so far; from now on rows are printed as they come.
    void print_held() {
        std::vector<bool> header_right(columns_.size(), false);
        for (std::size_t i = 0; i < columns_.size(); ++i)
            header_right[i] = right_[0][i];
        print(columns_, header_right);
        for (std::size_t r = 0; r < rows_.size(); ++r)
            print(rows_[r], right_[r]);
        rows_ = {};
        right_ = {};
        streaming_ = true;
    }

    void print(const std::vector<std::string>& texts, const std::vector<bool>& right) {
        std::string line;
        for (std::size_t i = 0; i < texts.size(); ++i) {
            if (i > 0)
                line += "  ";
            const std::size_t width = display_width(texts[i]);
            const std::string pad(widths_[i] > width ? widths_[i] - width : 0, ' ');
            const bool last = i + 1 == texts.size();
            line += right[i] ? pad + texts[i] : texts[i] + (last ? "" : pad);
        }
        out_ << line << '\n';
    }

    std::ostream& out_;
    std::size_t prefix_rows_;
    std::vector<std::string> columns_;            // as terminal_text
    std::vector<std::size_t> widths_;             // in display columns
    std::vector<std::vector<std::string>> rows_;  // held until the widths are known
    std::vector<std::vector<bool>> right_;
    bool streaming_ = false;
};

}  // namespace

std::unique_ptr<ResultWriter> make_table_writer(std::ostream& out, std::size_t prefix_rows) {
    return std::make_unique<TableWriter>(out, prefix_rows);
}

}  // namespace fostat
