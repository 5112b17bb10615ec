#include "storage/clock.h"

#include "fostat/time_text.h"

namespace fostat {
namespace {

class SystemClock final : public Clock {
  public:
    std::int64_t now() const override { return unix_now(); }
};

}  // namespace

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace fostat
