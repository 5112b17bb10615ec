#include "os/files.h"

#include <fcntl.h>
#include <io.h>
#include <windows.h>

namespace fostat::os {

std::FILE* open_for_reading(const std::string& path) {
    return std::fopen(path.c_str(), "rb");
}

void set_stdin_binary() {
    _setmode(_fileno(stdin), _O_BINARY);
}

std::filesystem::path stdin_path() {
    return {};
}

bool sync_file(const std::filesystem::path& path) {
    const HANDLE file = CreateFileW(path.c_str(), GENERIC_WRITE, FILE_SHARE_READ, nullptr,
                                    OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (file == INVALID_HANDLE_VALUE)
        return false;
    const bool ok = FlushFileBuffers(file) != 0;
    CloseHandle(file);
    return ok;
}

bool sync_directory(const std::filesystem::path&) {
    return true;
}

bool readable_by_everyone(const std::string&) {
    return false;
}

}  // namespace fostat::os
