// Files, where POSIX and Windows differ (docs/design.md § Layers: os). The rest of fostat opens,
// renames and removes files with the standard library; only these few steps need the OS.
#pragma once

#include <cstdio>
#include <filesystem>
#include <string>

namespace fostat::os {

// std::fopen(path, "rb"), except that on POSIX the file is not inherited by child processes
// (O_CLOEXEC). nullptr with errno set when it cannot be opened.
std::FILE* open_for_reading(const std::string& path);

// Makes stdin give its bytes as they are: on Windows no CRLF translation and no end at ^Z;
// POSIX's stdin already does.
void set_stdin_binary();

// A path naming the file that stdin reads, to learn its size when it is redirected from one:
// "/dev/stdin" on POSIX; empty on Windows, which has none.
std::filesystem::path stdin_path();

// Flushes the data of the file at `path` to the disk; false if it could not.
bool sync_file(const std::filesystem::path& path);

// Flushes the directory at `path`, so that a rename in it reaches the disk; false if it could
// not. On Windows does nothing and returns true.
bool sync_directory(const std::filesystem::path& path);

// Whether every user of the machine may read the file at `path`: false when that is unknown,
// and always on Windows, whose access lists std::filesystem's permissions do not show.
bool readable_by_everyone(const std::string& path);

}  // namespace fostat::os
