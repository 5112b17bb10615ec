#include "formats/byte_source.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "fostat/error.h"
#include "os/files.h"

namespace fostat {
namespace {

// Unbuffered, so that each read goes straight from the file into the caller's buffer as
// read(2) did: the readers keep large buffers of their own.
class FileSource : public ByteSource {
  public:
    FileSource(std::string path, std::FILE* file, bool owned, std::optional<std::uint64_t> size)
        : path_(std::move(path)), file_(file), owned_(owned), size_(size) {
        std::setvbuf(file_, nullptr, _IONBF, 0);
    }
    ~FileSource() override {
        if (owned_)
            std::fclose(file_);
    }
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;

    std::size_t read(char* buffer, std::size_t size) override {
        for (;;) {
            const std::size_t n = std::fread(buffer, 1, size, file_);
            if (!std::ferror(file_))
                return n;  // short only at the end of input
            if (errno != EINTR)
                throw InputError(path_ + ": cannot read: " + std::strerror(errno));
            std::clearerr(file_);
            if (n > 0)
                return n;
        }
    }
    std::optional<std::uint64_t> size() const override { return size_; }

  private:
    std::string path_;
    std::FILE* file_;
    bool owned_;
    std::optional<std::uint64_t> size_;
};

// The size of a regular file (for progress), else none.
std::optional<std::uint64_t> regular_file_size(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::is_regular_file(path, error))
        return std::nullopt;
    const std::uintmax_t size = std::filesystem::file_size(path, error);
    if (error)
        return std::nullopt;
    return size;
}

}  // namespace

std::size_t StringSource::read(char* buffer, std::size_t size) {
    const std::size_t n = std::min({size, chunk_, text_.size() - offset_});
    std::memcpy(buffer, text_.data() + offset_, n);
    offset_ += n;
    return n;
}

std::unique_ptr<ByteSource> open_file_source(const std::string& path) {
    if (path == "-") {
        // Bytes as they are: no CRLF translation, no end at ^Z (UTF-16 exports hold both).
        os::set_stdin_binary();
        const std::filesystem::path named = os::stdin_path();
        return std::make_unique<FileSource>(
            "<stdin>", stdin, false, named.empty() ? std::nullopt : regular_file_size(named));
    }
    std::FILE* file = os::open_for_reading(path);
    if (file == nullptr)
        throw InputError(path + ": cannot open: " + std::strerror(errno));
    std::error_code error;
    if (std::filesystem::is_directory(path, error)) {
        std::fclose(file);
        throw InputError(path + ": is a directory, not a file");
    }
    return std::make_unique<FileSource>(path, file, true, regular_file_size(path));
}

}  // namespace fostat
