// Input behind a small interface, so that parsers are tested on strings and on sources told
// to fail, and read files, pipes and stdin alike.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace fostat {

class ByteSource {
  public:
    virtual ~ByteSource() = default;
    // Reads up to `size` bytes into `buffer`; returns 0 only at the end of input.
    // Throws InputError when the input cannot be read.
    virtual std::size_t read(char* buffer, std::size_t size) = 0;
    // The total size when known in advance (a regular file), for progress.
    virtual std::optional<std::uint64_t> size() const { return std::nullopt; }
};

class StringSource : public ByteSource {
  public:
    explicit StringSource(std::string text, std::size_t chunk = SIZE_MAX)
        : text_(std::move(text)), chunk_(chunk) {}
    std::size_t read(char* buffer, std::size_t size) override;
    std::optional<std::uint64_t> size() const override { return text_.size(); }

  private:
    std::string text_;
    std::size_t chunk_;  // at most this much per read, to exercise record boundaries
    std::size_t offset_ = 0;
};

// "-" is standard input. Throws InputError naming the path if it cannot be opened.
std::unique_ptr<ByteSource> open_file_source(const std::string& path);

}  // namespace fostat
