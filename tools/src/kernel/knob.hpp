// A sysfs knob (or any small text file standing in for one) that compare
// switches between states and always puts back.
#pragma once

#include <string>

#include "util/error.hpp"

namespace diobench {

// A knob could not be read, written or restored: always fatal, never
// treated as a failure of one measurement.
class KnobError : public Error {
public:
    using Error::Error;
};

// Reads the whole (small) file. Throws Error naming the path.
std::string read_small_file(const std::string& path);

// Opens O_WRONLY|O_TRUNC, writes `text` in one write() and checks that all
// of it was accepted (sysfs reports a rejected value as a write error).
void write_small_file(const std::string& path, const std::string& text);

// Remembers the knob's value at construction and writes it back on
// restore() or destruction. Construction checks that the knob exists and is
// writable without changing it.
class KnobGuard {
public:
    explicit KnobGuard(std::string path);
    ~KnobGuard();
    KnobGuard(const KnobGuard&) = delete;
    KnobGuard& operator=(const KnobGuard&) = delete;
    KnobGuard(KnobGuard&&) = delete;
    KnobGuard& operator=(KnobGuard&&) = delete;

    // Writes "state\n" (what `echo state > knob` writes).
    void set(const std::string& state);
    // Writes the original value back if it was changed; throws on failure.
    void restore();

    [[nodiscard]] const std::string& original() const noexcept { return original_; }
    [[nodiscard]] const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
    std::string original_;
    bool changed_ = false;
};

// The knob's value without surrounding whitespace, for messages.
std::string trimmed(const std::string& text);

}  // namespace diobench
