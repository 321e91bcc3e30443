// Page-aligned heap memory for O_DIRECT I/O, released automatically.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace diobench {

class AlignedBuffer {
public:
    AlignedBuffer() = default;
    // Zero-filled so a failed read never exposes stale heap contents as data.
    AlignedBuffer(std::size_t size, std::size_t alignment);

    [[nodiscard]] std::byte* data() const noexcept { return memory_.get(); }
    [[nodiscard]] std::size_t size() const noexcept { return size_; }
    [[nodiscard]] std::span<std::byte> span() const noexcept { return {memory_.get(), size_}; }

private:
    struct FreeDeleter {
        void operator()(std::byte* p) const noexcept;
    };
    std::unique_ptr<std::byte, FreeDeleter> memory_;
    std::size_t size_ = 0;
};

}  // namespace diobench
