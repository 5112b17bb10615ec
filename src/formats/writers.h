// What the result writers of formats/ share, private to the layer.
#pragma once

#include <memory>
#include <ostream>
#include <string>

#include "formats/result_writer.h"

namespace fostat {

// A cell as the table and CSV write it: NULL as "-", numbers as the shortest decimal that
// reads back the same (append_decimal).
std::string cell_text(const Cell& cell);

// The JSON writer (json.cpp).
std::unique_ptr<ResultWriter> make_json_writer(std::ostream& out);

}  // namespace fostat
