#include "io/aligned_buffer.hpp"

#include <cstdlib>
#include <cstring>
#include <new>

namespace diobench {

AlignedBuffer::AlignedBuffer(std::size_t size, std::size_t alignment) : size_(size)
{
    void* raw = nullptr;
    if (::posix_memalign(&raw, alignment, size == 0 ? alignment : size) != 0) {
        throw std::bad_alloc();
    }
    memory_.reset(static_cast<std::byte*>(raw));
    std::memset(raw, 0, size);
}

void AlignedBuffer::FreeDeleter::operator()(std::byte* p) const noexcept
{
    std::free(p);  // pairs with posix_memalign
}

}  // namespace diobench
