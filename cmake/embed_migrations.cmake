# Writes a C++ file that holds every schema/NNNN_*.sql migration as a string, in order.
string(REPLACE "|" ";" SQL_FILES "${SQL_FILES}")
set(body "")
foreach(path IN LISTS SQL_FILES)
  get_filename_component(name ${path} NAME)
  string(REGEX MATCH "^[0-9]+" number ${name})
  math(EXPR number "${number} + 0")
  file(READ ${path} sql)
  string(APPEND body "    {${number}, \"${name}\", R\"fostat_sql(${sql})fostat_sql\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "// Generated from schema/*.sql by cmake/embed_migrations.cmake. Do not edit.
#include \"storage/migrations.h\"

namespace fostat {

const std::vector<Migration>& migrations() {
    static const std::vector<Migration> all = {
${body}    };
    return all;
}

}  // namespace fostat
")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
