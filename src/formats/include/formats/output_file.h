// Files the programs write (-o, --truth): whole or not at all, and never over the database.
#pragma once

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>
#include <string_view>

namespace fostat {

// A file written whole or not at all (docs/design.md § Outputs): the text goes to a new
// temporary file in the target's directory; commit() flushes it to disk and renames it over
// the target. Destroyed without commit(), it removes the temporary file and leaves the target
// as it was. A symlink is followed: the file it points to is replaced, the link kept. An
// existing target's permissions are kept. A target that exists and is not a regular file
// (/dev/null, /dev/stdout, a FIFO) is written directly: renaming over it would replace the
// device with a file.
class OutputFile {
  public:
    // `option` names the option the path came from, for messages ("-o"). Throws InputError
    // when the temporary file cannot be created.
    OutputFile(std::string option, const std::string& path);
    ~OutputFile();
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    std::ostream& stream() { return out_; }
    // Throws Error when the text could not be written, flushed or renamed; the temporary
    // file is then removed.
    void commit();

  private:
    std::string option_;
    std::string shown_;  // the path as the user gave it
    std::filesystem::path target_;
    std::filesystem::path temp_;
    std::ofstream out_;
    bool direct_ = false;  // writing into a device or FIFO, not a temporary file
    bool committed_ = false;
};

// Refuses, before anything is opened, an output path that is a directory or the same file
// (through any symlink) as the database or its -wal, -shm or -journal file, existing or not:
// writing it would destroy the database. Throws InputError naming both paths.
void refuse_output_over_database(std::string_view option, const std::string& path,
                                 const std::string& database);

}  // namespace fostat
